package dev.vlmadapt.runtime.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory that becomes visible at its target path complete or not at all: files are written into a hidden
 * sibling ({@code .<name>.in-progress}) that {@link #commit()} renames into place; closing without a commit
 * deletes it. A stale in-progress sibling left by a killed process is removed when a new one is created.
 */
public final class StagedDirectory implements AutoCloseable {
    private final Path target;
    private final Path work;
    private boolean committed;

    private StagedDirectory(Path target, Path work) {
        this.target = target;
        this.work = work;
    }

    /**
     * @param target the final path; must not exist
     * @return an empty staging directory for {@code target}
     * @throws IOException if {@code target} exists or the staging directory cannot be made
     */
    public static StagedDirectory create(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs)) {
            throw new IOException(target + " already exists; refusing to overwrite it");
        }
        Path work = abs.resolveSibling("." + abs.getFileName() + ".in-progress");
        deleteRecursively(work);
        Files.createDirectories(work);
        return new StagedDirectory(target, work);
    }

    /** @return the directory to write into until {@link #commit()} */
    public Path work() {
        return work;
    }

    /** @return where the directory appears after {@link #commit()} */
    public Path target() {
        return target;
    }

    /**
     * Renames the staging directory to the target in one step.
     *
     * @throws IOException if the rename fails (the staging directory is then removed on close)
     */
    public void commit() throws IOException {
        Files.move(work, target.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    /** Removes the staging directory unless it was committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            deleteRecursively(work);
        }
    }

    /**
     * @param path a file or directory; nothing happens if it does not exist
     * @throws IOException if deleting fails
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
