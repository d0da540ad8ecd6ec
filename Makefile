# tuike — the two commands of the quick start are `make demo` and `make test`.
BUILD ?= build
BUILD_SAN ?= build-san
JOBS ?= $(shell nproc)
MEMBERS ?= 2000
DB ?= demo/tuike.db
# TEST_PG=ON or OFF: whether the suites include the PostgreSQL pass (every
# database test again as <name>_pg, CMake's TUIKE_TEST_PG); unset keeps what
# the build directory was configured with.
TEST_PG ?=
CMAKE_TEST_PG = $(if $(TEST_PG),-DTUIKE_TEST_PG=$(TEST_PG))

.PHONY: all deps deps-test build build-san web test test-plain test-san test-pg demo bench clean

all: build

deps:
	@bash scripts/deps.sh

deps-test:
	@bash scripts/deps.sh --test

# The web console and promoter page (Vite + TypeScript), served by `tuike serve`.
WEB_SOURCES := $(shell find web/src web/index.html web/m web/public web/scripts web/package.json web/package-lock.json \
	web/tsconfig.json web/vite.config.ts -type f 2>/dev/null)
web/dist/index.html: $(WEB_SOURCES)
	cd web && npm run build --silent

web: deps web/dist/index.html

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_TEST_PG) >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	$(if $(TEST_PG),cmake -S . -B $(BUILD) $(CMAKE_TEST_PG) >/dev/null)
	cmake --build $(BUILD) -j $(JOBS)

$(BUILD_SAN)/CMakeCache.txt:
	cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DTUIKE_SANITIZE=ON $(CMAKE_TEST_PG) >/dev/null

build-san: deps $(BUILD_SAN)/CMakeCache.txt
	$(if $(TEST_PG),cmake -S . -B $(BUILD_SAN) $(CMAKE_TEST_PG) >/dev/null)
	cmake --build $(BUILD_SAN) -j $(JOBS)

test-plain: deps-test build web
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-san: deps-test build-san web
	cd $(BUILD_SAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# Every test, plainly and under AddressSanitizer + UndefinedBehaviorSanitizer;
# each on SQLite and, when the PostgreSQL pass is on (TEST_PG), on PostgreSQL.
test: test-plain test-san

# Only the PostgreSQL pass of the plain suite (turns it on in $(BUILD)).
test-pg: TEST_PG = ON
test-pg: deps-test build web
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L pg

demo: build web
	@bash scripts/demo.sh --members $(MEMBERS) --db $(DB)

bench: build
	@bash bench/run.sh

clean:
	rm -rf $(BUILD) $(BUILD_SAN) web/dist
