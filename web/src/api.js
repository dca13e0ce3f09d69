// The /v1 client: the token from the page's fragment or the sign-in box,
// kept in sessionStorage (never in the URL the server sees), sent as a
// bearer token. A 401 is an AuthError: the caller brings the sign-in box back.
const KEY = 'marquee.token';

export class AuthError extends Error {}

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t.trim()),
  clear: () => sessionStorage.removeItem(KEY),
};

// Moves #token=... (or a token among other fragment parameters) into
// sessionStorage and removes it from the address bar and history.
export function adoptFragmentToken() {
  const params = new URLSearchParams(location.hash.slice(1));
  const t = params.get('token');
  if (!t) return;
  token.set(t);
  params.delete('token');
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
}

export async function api(path, params = {}) {
  const t = token.get();
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') query.set(k, v);
  const q = query.toString();
  // Without a token the request is still tried: a server started with
  // --no-auth answers it; any other answers 401 and the sign-in box appears.
  const headers = t ? { Authorization: `Bearer ${t}` } : {};
  const response = await fetch(q ? `${path}?${q}` : path, { headers });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const message = body?.error?.message ?? `${response.status} ${response.statusText}`;
  if (response.status === 401)
    throw new AuthError(t ? `The token was refused (${message}). Paste a new one.` : 'Paste an API token to see the data.');
  if (!response.ok) throw Object.assign(new Error(`${path}: ${message}`), { status: response.status });
  return body;
}
