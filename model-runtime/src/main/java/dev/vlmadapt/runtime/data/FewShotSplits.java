package dev.vlmadapt.runtime.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CoOp's few-shot protocol: for a seed, K training images per class and a disjoint validation set of
 * {@code valShots} per class, both drawn from the dataset's training images; the test split stays whole.
 *
 * <p>The draw depends only on (seed, image id): each class's images are ordered by a hash of both, and the
 * first K train, the next {@code valShots} validate. The same seed therefore gives the same ids on any
 * machine, in any input order and under any partitioning, and different seeds give different draws.
 */
public final class FewShotSplits {
    /** A training image: its stable id and class. */
    public record Candidate(String id, int label) {
    }

    /** One split assignment. */
    public record Assignment(String id, int label, String split) {
    }

    private FewShotSplits() {
    }

    /**
     * @param train the dataset's training images
     * @param seed the seed
     * @param shots K, images per class for training
     * @param valShots images per class for validation
     * @return the {@code train} and {@code val} assignments, sorted by class then draw order
     * @throws IllegalArgumentException if a class has fewer than {@code shots + valShots} images
     */
    public static List<Assignment> draw(List<Candidate> train, long seed, int shots, int valShots) {
        if (shots < 1 || valShots < 0) {
            throw new IllegalArgumentException("shots must be >= 1 and validation shots >= 0, got " + shots + ", "
                    + valShots);
        }
        Map<Integer, List<Candidate>> byClass = new TreeMap<>();
        for (Candidate c : train) {
            byClass.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(c);
        }
        List<Assignment> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Candidate>> e : byClass.entrySet()) {
            List<Candidate> members = e.getValue();
            if (members.size() < shots + valShots) {
                throw new IllegalArgumentException("class " + e.getKey() + " has " + members.size()
                        + " training images; " + shots + " shots + " + valShots + " validation shots need "
                        + (shots + valShots));
            }
            List<Candidate> ordered = new ArrayList<>(members);
            ordered.sort(Comparator.comparing((Candidate c) -> key(seed, c.id())).thenComparing(Candidate::id));
            for (int i = 0; i < shots + valShots; i++) {
                Candidate c = ordered.get(i);
                out.add(new Assignment(c.id(), c.label(), i < shots ? "train" : "val"));
            }
        }
        return out;
    }

    /**
     * Splits by source: K training images per class from one pool and {@code valShots} validation images per
     * class from another (e.g. other artistic styles), each drawn as in {@link #draw}.
     *
     * @param train the training pool
     * @param val the validation pool
     * @param seed the seed
     * @param shots K
     * @param valShots validation images per class
     * @return the {@code train} then {@code val} assignments
     * @throws IllegalArgumentException if a class of a pool has too few images
     */
    public static List<Assignment> drawFromPools(List<Candidate> train, List<Candidate> val, long seed, int shots,
            int valShots) {
        List<Assignment> out = new ArrayList<>(draw(train, seed, shots, 0));
        if (valShots > 0) {
            for (Assignment a : draw(val, seed, valShots, 0)) {
                out.add(new Assignment(a.id(), a.label(), "val"));
            }
        }
        return out;
    }

    /** A uniform, platform-independent sort key: the first 8 bytes of SHA-256(seed ‖ id), as hex. */
    static String key(long seed, String id) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest((seed + "\u0000" + id).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
