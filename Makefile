# tuike — the two commands of the quick start are `make demo` and `make test`.
BUILD ?= build
BUILD_SAN ?= build-san
JOBS ?= $(shell nproc)
MEMBERS ?= 2000
DB ?= demo/tuike.db

.PHONY: all deps deps-test build build-san web test test-plain test-san demo bench clean

all: build

deps:
	@bash scripts/deps.sh

deps-test:
	@bash scripts/deps.sh --test

# The web console and promoter page (Vite + TypeScript), served by `tuike serve`.
WEB_SOURCES := $(shell find web/src web/index.html web/m web/package.json web/package-lock.json \
	web/tsconfig.json web/vite.config.ts -type f 2>/dev/null)
web/dist/index.html: $(WEB_SOURCES)
	cd web && npm run build --silent

web: deps web/dist/index.html

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(BUILD_SAN)/CMakeCache.txt:
	cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DTUIKE_SANITIZE=ON >/dev/null

build-san: deps $(BUILD_SAN)/CMakeCache.txt
	cmake --build $(BUILD_SAN) -j $(JOBS)

test-plain: deps-test build web
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-san: deps-test build-san web
	cd $(BUILD_SAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# Every test, plainly and under AddressSanitizer + UndefinedBehaviorSanitizer.
test: test-plain test-san

demo: build web
	@bash scripts/demo.sh --members $(MEMBERS) --db $(DB)

bench: build
	@bash bench/run.sh

clean:
	rm -rf $(BUILD) $(BUILD_SAN) web/dist
