package dev.vlmadapt.jobs;

import dev.vlmadapt.jobs.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process CLI run with its exit code and what it printed to stderr. */
record CliRun(int code, String err) {
    static CliRun of(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new CliRun(code, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }
}
