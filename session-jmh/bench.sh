#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs Sessionkit's benchmarks and prints the summary table of its performance targets.
#
#   session-jmh/bench.sh quick   the benchmarks behind the targets, -f 1 -wi 2 -i 3 -w 2s -r 2s:
#                                about 5 minutes on 2 cores
#   session-jmh/bench.sh full    every benchmark with its class defaults (2 forks, 5 x 5 s
#                                warmup, 5 x 5 s measurement): release numbers, about 70 minutes
#
# Results go to session-jmh/target/jmh-<profile>.json (JMH JSON); the summary is printed as
# Markdown. Build the jar first: mvn -B -pl session-jmh -am -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=session-jmh/target/benchmarks.jar
# The quick profile's benchmarks: the floor, token generation, the per-request path of all three
# libraries (Sessionkit's default touch interval and Tomcat at 1 thread only), force logout with
# 1 and 100 sessions of the principal beside Spring's scan, the memory footprints, login and
# logout beside Tomcat, whole requests through embedded Jetty, and the per-request path on the
# local Redis and PostgreSQL.
QUICK='perRequestFloor|TokenBenchmark|ResolveBenchmark\.(sessionkitEveryRequestWrites_|springFindTouchSave_|sessionkitDefaultTouchInterval_1t|tomcatFindAccess_1t)|ForceLogoutBenchmark\.(sessionkitLogoutAll|springScan)|FootprintBenchmark|LifecycleBenchmark\.(sessionkit|tomcat)Log|ServletPathBenchmark|RedisPathBenchmark|JdbcPathBenchmark'

if [[ ! -f "$JAR" ]]; then
  echo "missing $JAR: run mvn -B -pl session-jmh -am -DskipTests package" >&2
  exit 2
fi

profile="${1:-quick}"
out="session-jmh/target/jmh-$profile.json"
case "$profile" in
  quick)
    java -jar "$JAR" -f 1 -wi 2 -i 3 -w 2s -r 2s -p sessionsOfPrincipal=1,100 -p touch=every -prof gc \
      -rf json -rff "$out" "$QUICK"
    ;;
  full)
    java -jar "$JAR" -prof gc -rf json -rff "$out"
    ;;
  *)
    echo "usage: $0 [quick|full]" >&2
    exit 2
    ;;
esac
java -cp "$JAR" dev.sessionkit.jmh.Summary "$out"
