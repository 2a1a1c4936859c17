/**
 * Helpers for the Java notebooks in {@code notebooks/} (executed by {@code tools/notebooks/run.py} in the rapaio
 * Java kernel): a quiet local Spark session, finding the jobs' runs and reading their Parquet and JSON outputs,
 * XChart plots in one style, and small HTML tables and notes. None of them depends on the kernel: a cell passes
 * what they return to the kernel's {@code display(...)}.
 */
package dev.vlmadapt.notebook;
