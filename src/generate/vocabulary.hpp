#pragma once
// Private to src/generate: the code tables and word pools the generator draws
// from. Weights are relative frequencies shaped after the real
// movies_metadata.csv (see docs/GENERATE.md); they are data, not contract.
#include <array>
#include <string_view>

namespace marquee::generate::vocab {

struct Genre {
  int id;
  std::string_view name;
  unsigned weight;
};

// The real TMDB genre ids and names, as the Kaggle file spells them.
inline constexpr std::array<Genre, 20> kGenres{{
    {18, "Drama", 200},        {35, "Comedy", 130},
    {53, "Thriller", 80},      {10749, "Romance", 70},
    {28, "Action", 70},        {27, "Horror", 50},
    {80, "Crime", 50},         {99, "Documentary", 40},
    {12, "Adventure", 40},     {878, "Science Fiction", 30},
    {10751, "Family", 30},     {9648, "Mystery", 30},
    {14, "Fantasy", 25},       {16, "Animation", 20},
    {10769, "Foreign", 20},    {10402, "Music", 20},
    {36, "History", 15},       {10752, "War", 15},
    {37, "Western", 10},       {10770, "TV Movie", 10},
}};

// Sorted by code: the real file lists a movie's countries in code order.
struct Country {
  std::string_view code;
  std::string_view name;
  unsigned weight;
};
inline constexpr std::array<Country, 40> kCountries{{
    {"AR", "Argentina", 4},      {"AT", "Austria", 5},
    {"AU", "Australia", 30},     {"BE", "Belgium", 12},
    {"BR", "Brazil", 6},         {"CA", "Canada", 55},
    {"CH", "Switzerland", 8},    {"CN", "China", 10},
    {"CZ", "Czech Republic", 4}, {"DE", "Germany", 75},
    {"DK", "Denmark", 7},        {"ES", "Spain", 22},
    {"FI", "Finland", 4},        {"FR", "France", 120},
    {"GB", "United Kingdom", 200}, {"GR", "Greece", 3},
    {"HK", "Hong Kong", 16},     {"HU", "Hungary", 4},
    {"IE", "Ireland", 15},       {"IL", "Israel", 3},
    {"IN", "India", 12},         {"IR", "Iran", 4},
    {"IS", "Iceland", 2},        {"IT", "Italy", 50},
    {"JP", "Japan", 35},         {"KR", "South Korea", 8},
    {"MX", "Mexico", 8},         {"NL", "Netherlands", 8},
    {"NO", "Norway", 5},         {"NZ", "New Zealand", 6},
    {"PL", "Poland", 4},         {"PT", "Portugal", 3},
    {"RO", "Romania", 2},        {"RU", "Russia", 8},
    {"SE", "Sweden", 9},         {"TR", "Turkey", 3},
    {"TW", "Taiwan", 4},         {"UA", "Ukraine", 1},
    {"US", "United States of America", 1200}, {"ZA", "South Africa", 4},
}};

// Spoken-language names are the languages' own names, as TMDB gives them;
// some are empty in the real file, so some are empty here.
struct Language {
  std::string_view code;
  std::string_view name;
  unsigned original_weight;  // as original_language
  unsigned spoken_weight;    // as an extra spoken language
};
inline constexpr std::array<Language, 36> kLanguages{{
    {"en", "English", 8000, 300},     {"fr", "Français", 450, 120},
    {"de", "Deutsch", 250, 70},       {"it", "Italiano", 250, 60},
    {"ja", "日本語", 200, 25},        {"es", "Español", 200, 80},
    {"zh", "普通话", 100, 18},        {"ru", "Pусский", 100, 35},
    {"cn", "广州话 / 廣州話", 50, 12}, {"ko", "한국어/조선말", 50, 4},
    {"sv", "svenska", 30, 6},         {"pt", "Português", 30, 12},
    {"hi", "हिन्दी", 30, 3},           {"nl", "Nederlands", 20, 4},
    {"da", "Dansk", 20, 3},           {"fa", "فارسی", 15, 3},
    {"no", "Norsk", 12, 3},           {"pl", "Polski", 12, 8},
    {"cs", "Český", 10, 8},           {"fi", "suomi", 10, 2},
    {"tr", "Türkçe", 10, 2},          {"hu", "Magyar", 8, 12},
    {"el", "ελληνικά", 6, 4},         {"he", "עִבְרִית", 5, 4},
    {"ar", "العربية", 5, 8},          {"th", "ภาษาไทย", 5, 3},
    {"vi", "Tiếng Việt", 4, 5},       {"ro", "Română", 4, 2},
    {"sr", "Srpski", 4, 2},           {"is", "Íslenska", 2, 1},
    {"la", "Latin", 0, 14},           {"xx", "No Language", 3, 2},
    {"yi", "", 0, 5},                 {"gd", "", 0, 3},
    {"bo", "", 1, 1},                 {"mi", "", 0, 1},
}};

// Languages whose original titles come from their own words, so
// original_title differs from the English title as in the real file.
struct ForeignWords {
  std::string_view code;
  bool spaced;  // CJK titles are written without spaces
  std::array<std::string_view, 16> words;
};
inline constexpr std::array<ForeignWords, 8> kForeignWords{{
    {"fr", true, {"La", "Cité", "des", "Enfants", "Perdus", "Le", "Bonheur", "est",
                  "dans", "pré", "Les", "Misérables", "Été", "Mémoire", "Rêve", "Forêt"}},
    {"de", true, {"Das", "Versprechen", "Der", "Himmel", "über", "Berlin", "Die", "Straße",
                  "Nacht", "Mädchen", "Schön", "Wölfe", "Grün", "Bär", "Fräulein", "Hölle"}},
    {"es", true, {"El", "Laberinto", "del", "Fauno", "La", "Niña", "Mañana", "Corazón",
                  "Años", "Sueño", "Señor", "Camión", "Pequeña", "Canción", "Día", "Luz"}},
    {"it", true, {"La", "Vita", "è", "Bella", "Il", "Postino", "Città", "Notte",
                  "Cinema", "Paradiso", "Perché", "Più", "Libertà", "Gioventù", "Amore", "Sole"}},
    {"ja", false, {"千", "と", "千尋", "の", "神隠し", "東京", "物語", "七人",
                   "侍", "羅生門", "夢", "花火", "月", "雨", "風", "森"}},
    {"zh", false, {"紅番區", "重慶", "森林", "飲食", "男女", "摇啊摇", "外婆桥", "霸王",
                   "别姬", "英雄", "卧虎", "藏龙", "花样", "年华", "大红", "灯笼"}},
    {"ru", true, {"Утомлённые", "солнцем", "Брат", "Сталкер", "Зеркало", "Летят", "журавли", "Иван",
                  "Детство", "Андрей", "Рублёв", "Москва", "слезам", "не", "верит", "Солярис"}},
    {"ko", false, {"올드보이", "살인의", "추억", "괴물", "기생충", "봄", "여름", "가을",
                   "겨울", "그리고", "다시", "밀양", "시", "박쥐", "마더", "하녀"}},
}};

// Title words; a few carry apostrophes so titles and collection names need
// Python's double-quoted repr, as "Weekend at Bernie's Collection" does.
inline constexpr std::array<std::string_view, 96> kTitleWords{
    "Dark", "Night", "Love", "Man", "Last", "Story", "City", "Time", "House", "Girl",
    "Life", "Blood", "Dead", "King", "World", "Home", "Day", "Black", "Heart", "Game",
    "Secret", "Lost", "Summer", "Star", "Christmas", "Wild", "Little", "Moon", "Fire", "Road",
    "River", "Shadow", "Ghost", "Island", "Devil", "Silent", "Broken", "Golden", "Red", "White",
    "Winter", "Paradise", "Angel", "Dragon", "Blue", "Midnight", "Stranger", "Promise", "Journey", "Hunter",
    "Killer", "Kiss", "Dream", "Edge", "Storm", "Desert", "Crimson", "Harbor", "Empire", "Legend",
    "Requiem", "Escape", "Return", "Revenge", "Memory", "Witness", "Mirror", "Garden", "Train", "Border",
    "Ocean's", "Heaven's", "Devil's", "Bernie's", "Children's", "Nobody's", "Hamlet", "Sabrina", "Othello", "Zorro",
    "Mummy", "Wolf", "Shark", "Spider", "Machine", "Planet", "Mission", "Zero", "Alpha", "Omega",
    "Cowboy", "Samurai", "Ninja", "Pirate", "Doctor", "Señorita"};

// Overview words; plain English so sentences read like synopses.
inline constexpr std::array<std::string_view, 160> kOverviewWords{
    "the", "the", "the", "a", "a", "of", "of", "and", "and", "to",
    "to", "in", "in", "his", "her", "their", "with", "for", "from", "by",
    "on", "into", "after", "when", "while", "but", "who", "that", "as", "at",
    "young", "old", "small", "strange", "local", "mysterious", "beautiful", "dangerous", "lonely", "brilliant",
    "family", "town", "city", "world", "life", "love", "war", "friend", "friends", "father",
    "mother", "son", "daughter", "brother", "sister", "wife", "husband", "man", "woman", "girl",
    "boy", "police", "detective", "killer", "gang", "doctor", "teacher", "soldier", "king", "queen",
    "journey", "secret", "past", "future", "truth", "money", "house", "village", "island", "school",
    "finds", "discovers", "learns", "must", "tries", "decides", "meets", "falls", "becomes", "leaves",
    "returns", "plans", "escapes", "fights", "loses", "saves", "follows", "joins", "faces", "struggles",
    "himself", "herself", "together", "again", "away", "back", "soon", "never", "only", "even",
    "story", "years", "night", "day", "time", "death", "murder", "crime", "case", "fortune",
    "heart", "dream", "hope", "fear", "power", "game", "plan", "help", "trouble", "revenge",
    "new", "first", "last", "true", "other", "own", "best", "final", "great", "hidden",
    "against", "between", "through", "without", "about", "before", "during", "under", "until", "across",
    "is", "is", "are", "was", "has", "have", "will", "can", "one", "two"};

// Character names; about a third are non-ASCII, so overviews carry UTF-8.
inline constexpr std::array<std::string_view, 48> kNames{
    "Woody", "Andy", "Buzz", "Alan", "Judy", "Peter", "Max", "John", "Sophie", "Konrad",
    "Maggie", "Michel", "Giles", "Kassandra", "Harald", "Barbara", "Julia", "Tom", "Sarah", "Frank",
    "Emma", "Jack", "Lucy", "Walter", "Helen", "Nick", "Rosa", "Victor", "Anna", "Paul",
    "Zoë", "Björn", "Ørnås", "Chloé", "José", "François", "Søren", "Małgorzata", "Jürgen", "Åsa",
    "Núñez", "Dvořák", "Иван", "Ελένη", "Hélène", "Çelik", "Agnès", "Łukasz"};

// Who "wrote" an overview: the real split records end "\r\n - Written by X".
inline constexpr std::array<std::string_view, 6> kOverviewWriters{
    "Ørnås", "James Meek", "Anonymous", "Élodie Marchand", "Kris Pedersen", "Gómez"};

// Company names are prefix + " " + suffix: 100 x 40 = 4,000 distinct names.
inline constexpr std::array<std::string_view, 100> kCompanyPrefixes{
    "Pixar", "TriStar", "Teitler", "Interscope", "Lancaster Gate", "Paramount", "Universal", "Columbia", "Carolco", "Orion",
    "Miramax", "Castle Rock", "Amblin", "Touchstone", "Hollywood", "New Line", "Dimension", "Gramercy", "Polygram", "Working Title",
    "Canal+", "Studio Babelsberg", "Odessa", "Bioskop", "Westdeutscher", "Procirep", "Constellation", "Claudie Ossard", "Eurimages", "Cofimage",
    "Société Nouvelle", "Ørnås", "東宝", "大映", "Mosfilm", "Lumière", "Télévision Française", "Zürich", "Łódź", "Mañana",
    "Cinéfrance", "Küstenfilm", "Svensk Skådespel", "Cité", "Fábrica", "Ringo's", "Butcher's Run", "Workin' Man", "D'Pelicula", "Club d'Investissement",
    "Ringo's \"Best\"", "Red Hour", "Silver Screen", "Blue Sky", "Northern Lights", "Golden Harvest", "Shaw", "Tohokushinsha", "Village Roadshow", "Roadshow",
    "Alliance", "Lionsgate", "Summit", "Relativity", "Legendary", "Regency", "Imagine", "Malpaso", "Zoetrope", "Filmways",
    "Hemdale", "Cannon", "Trimark", "Artisan", "Overseas", "Capitol", "Channel Four", "Fine Line", "Flach", "Victoires",
    "Phoenix", "Ossane", "Studio Image", "Astre", "Cigua", "Booking Office", "Focus", "Searchlight", "Morgan Creek", "Spyglass",
    "Davis", "Icon", "Scott Free", "Plan B", "Annapurna", "Blumhouse", "Jerry Bruckheimer", "Dino De Laurentiis", "Gaumont", "Pathé"};
inline constexpr std::array<std::string_view, 40> kCompanySuffixes{
    "Pictures", "Films", "Film", "Studios", "Entertainment", "Productions", "Media", "Company", "Communications", "Distribution",
    "International", "Group", "Cinema", "Animation Studios", "Film Partners", "Filmproduktion", "Cinématographie", "Producciones", "Produzioni", "Film AB",
    "Television", "Features", "Classics", "Releasing", "Motion Pictures", "Images", "Rundfunk", "Fernsehen", "Corporation", "Associates",
    "Works", "Vision", "Arts", "House", "Brothers", "Artists", "Capital", "Ventures", "Holdings", "Sales"};

}  // namespace marquee::generate::vocab
