package dev.vlmadapt.jobs.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the tests started, with stdout and stderr in one log file. {@link #close} stops it and everything
 * it started (a Worker's executors) by handle: SIGTERM first, SIGKILL for what is still alive after a grace
 * period.
 */
public final class JvmProcess implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path log;

    private JvmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param name for messages, e.g. {@code worker-1}
     * @param command the command line
     * @param env variables added to this JVM's environment
     * @param log where stdout and stderr go (replaced)
     * @return the started process
     * @throws IOException if it cannot be started
     */
    public static JvmProcess start(String name, List<String> command, Map<String, String> env, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new JvmProcess(name, pb.start(), log);
    }

    /** @return the name given at start */
    public String name() {
        return name;
    }

    /** @return the process handle */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** @return the log file */
    public Path log() {
        return log;
    }

    /** @return whether it still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * @param timeout how long to wait
     * @return the exit code
     * @throws AssertionError if it is still running after {@code timeout}, with its log's tail
     */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + timeout.toSeconds() + " s; its log ends:\n"
                    + tail(40));
        }
        return process.exitValue();
    }

    /** Sends SIGKILL, as a crash would, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * @param lines how many lines
     * @return the last lines of the log (or why they cannot be read)
     */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** @return the log's content, or an empty string if it cannot be read */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** Stops the process and its descendants; returns when all are gone or were sent SIGKILL. */
    @Override
    public void close() {
        // Descendants are taken before the parent stops, while they are still its children.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        process.destroy();
        awaitExit(all, GRACE);
        all.forEach(ProcessHandle::destroyForcibly);
        awaitExit(all, GRACE);
    }

    static void awaitExit(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle h : handles) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return;
            }
        }
    }
}
