#!/usr/bin/env bash
# Runs one throw-away Swift (swift.sh) for a Python suite: prints
#   ENV NAME=VALUE ... then READY
# on stdout, then obeys one command per line on stdin (stop_proxy,
# start_proxy, stop_object, start_object), answering OK or FAIL. End of stdin
# (the suite exiting, even killed) stops every server and removes its files,
# so a dying suite cannot leave servers behind.
set -uo pipefail
source "$(dirname "$0")/swift.sh"
swift_start || exit 1
for name in AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION; do
  echo "ENV $name=${!name}"
done
echo READY
while read -r command; do
  case "$command" in
    stop_proxy) swift_stop_proxy && echo OK || echo FAIL ;;
    start_proxy) swift_start_proxy && echo OK || echo FAIL ;;
    stop_object) swift_stop_object && echo OK || echo FAIL ;;
    start_object) swift_start_object && echo OK || echo FAIL ;;
    *) echo FAIL ;;
  esac
done
