package dev.vlmadapt.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Watches output paths while a job runs, as a reader polling for results would, and keeps every distinct state
 * it saw: the visible files (no name starting with '.' or '_', which Spark's readers skip) with their sizes. A
 * job publishes atomically when each path was only ever absent or exactly as it is at the end.
 */
public final class VisibleOutput implements AutoCloseable {
    private final List<Path> paths;
    private final List<Set<Map<String, Long>>> seen = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;
    private volatile int polls;

    /** @param paths the directories a job publishes (need not exist yet) */
    public VisibleOutput(Path... paths) {
        this.paths = List.of(paths);
        for (int i = 0; i < paths.length; i++) {
            seen.add(new LinkedHashSet<>());
        }
        thread = new Thread(this::watch, "visible-output");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (!stop) {
            for (int i = 0; i < paths.size(); i++) {
                Map<String, Long> state = state(paths.get(i));
                if (state != null) {
                    synchronized (seen) {
                        seen.get(i).add(state);
                    }
                }
            }
            polls++;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return relative path → size of the visible files under {@code dir} (empty: absent), or null if it changed while listed */
    private static Map<String, Long> state(Path dir) {
        Map<String, Long> files = new TreeMap<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path rel = dir.relativize(p);
                boolean hidden = false;
                for (Path part : rel) {
                    hidden |= part.toString().startsWith(".") || part.toString().startsWith("_");
                }
                if (!hidden && Files.isRegularFile(p)) {
                    files.put(rel.toString(), Files.size(p));
                }
            }
            return files;
        } catch (IOException | UncheckedIOException e) {
            return null;                             // a file went away while listed (a rename): look again
        }
    }

    /** Stops watching. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }

    /**
     * Stops watching and checks that every path was only ever absent or in its final state.
     *
     * @throws AssertionError naming the path and the partial state seen
     */
    public void assertOnlyAbsentOrComplete() throws InterruptedException {
        close();
        if (polls < 2) {
            throw new AssertionError("the output was looked at only " + polls + " times while the job ran");
        }
        for (int i = 0; i < paths.size(); i++) {
            Map<String, Long> last = state(paths.get(i));
            if (last == null || last.isEmpty()) {
                throw new AssertionError(paths.get(i) + " holds no visible output at the end");
            }
            synchronized (seen) {
                for (Map<String, Long> s : seen.get(i)) {
                    if (!s.isEmpty() && !s.equals(last)) {
                        throw new AssertionError(paths.get(i) + " was visible in a partial state " + s
                                + " before its final state " + last);
                    }
                }
            }
        }
    }

    /** @return how often the paths were looked at */
    public int polls() {
        return polls;
    }
}
