package dev.vlmadapt.runtime.select;

import dev.vlmadapt.runtime.concepts.WordNet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.extjwnl.data.Pointer;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;

/**
 * MLL's semantic graph: WordNet noun synsets of the sample datasets' classes (level 0) and their hypernyms up to
 * a depth (level = hops above the nearest class synset), edges hypernym → hyponym. A node's text is its lemmas
 * and gloss; an image of a class belongs to the class's node and every node above it in the graph.
 */
public final class SemanticGraph {
    /**
     * A node.
     *
     * @param offset WordNet 3.1 noun offset (the node's id)
     * @param name NLTK-style name, e.g. {@code tiger.n.02}
     * @param lemmas its lemmas
     * @param gloss its definition
     * @param level 0 for a class synset, else hops above the nearest one
     * @param parents offsets of its hypernyms that are in the graph
     */
    public record Node(long offset, String name, List<String> lemmas, String gloss, int level, List<Long> parents) {
        /** Copies the lists. */
        public Node {
            lemmas = List.copyOf(lemmas);
            parents = List.copyOf(parents);
        }

        /** @return the text that describes the node: "tiger, Panthera tigris: large feline of forests ..." */
        public String text() {
            return String.join(", ", lemmas) + ": " + gloss;
        }

        /** @return the word a prompt names the node by (its first lemma) */
        public String word() {
            return lemmas.get(0);
        }
    }

    private final List<Node> nodes;
    private final Map<Long, Integer> index = new HashMap<>();

    /**
     * @param nodes nodes, each parent among them
     */
    public SemanticGraph(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
        for (int i = 0; i < nodes.size(); i++) {
            if (index.put(nodes.get(i).offset(), i) != null) {
                throw new IllegalArgumentException("node " + nodes.get(i).name() + " appears twice");
            }
        }
        for (Node n : nodes) {
            for (long p : n.parents()) {
                if (!index.containsKey(p)) {
                    throw new IllegalArgumentException("node " + n.name() + " names parent " + p + ", not a node");
                }
            }
        }
    }

    /**
     * @param classSynsets offsets of the sample classes' synsets
     * @param depth how many hypernym levels above them to add (0 = the class synsets only)
     * @return the graph, nodes ordered by level, then name
     */
    public static SemanticGraph build(Collection<Long> classSynsets, int depth) {
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be >= 0, got " + depth);
        }
        WordNet wn = WordNet.get();
        Map<Long, Integer> level = new LinkedHashMap<>();
        Map<Long, Synset> synsets = new HashMap<>();
        List<Long> frontier = new ArrayList<>(new LinkedHashSet<>(classSynsets));
        for (long o : frontier) {
            level.put(o, 0);
            synsets.put(o, wn.byOffset(o));
        }
        for (int d = 1; d <= depth; d++) {
            List<Long> next = new ArrayList<>();
            for (long o : frontier) {
                for (Synset h : hypernyms(synsets.get(o))) {
                    if (!level.containsKey(h.getOffset())) {
                        level.put(h.getOffset(), d);
                        synsets.put(h.getOffset(), h);
                        next.add(h.getOffset());
                    }
                }
            }
            frontier = next;
        }
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : level.entrySet()) {
            Synset s = synsets.get(e.getKey());
            List<Long> parents = new ArrayList<>();
            for (Synset h : hypernyms(s)) {
                if (level.containsKey(h.getOffset())) {
                    parents.add(h.getOffset());
                }
            }
            List<String> lemmas = new ArrayList<>();
            for (Word w : s.getWords()) {
                lemmas.add(w.getLemma());
            }
            nodes.add(new Node(s.getOffset(), wn.name(s), lemmas, s.getGloss(), e.getValue(), parents));
        }
        nodes.sort(Comparator.comparingInt(Node::level).thenComparing(Node::name).thenComparingLong(Node::offset));
        return new SemanticGraph(nodes);
    }

    private static List<Synset> hypernyms(Synset s) {
        List<Synset> out = new ArrayList<>();
        for (Pointer p : s.getPointers()) {
            if (p.getType() == PointerType.HYPERNYM || p.getType() == PointerType.INSTANCE_HYPERNYM) {
                try {
                    out.add(p.getTargetSynset());
                } catch (net.sf.extjwnl.JWNLException e) {
                    throw new IllegalStateException("WordNet lookup above " + s.getOffset() + " failed", e);
                }
            }
        }
        return out;
    }

    /** @return the nodes */
    public List<Node> nodes() {
        return nodes;
    }

    /**
     * @param offset a node's offset
     * @return its position in {@link #nodes()}, or -1
     */
    public int indexOf(long offset) {
        return index.getOrDefault(offset, -1);
    }

    /**
     * @param offset a node's offset
     * @return the positions of that node and of every node above it in the graph (what an image of it belongs to)
     */
    public int[] selfAndAncestors(long offset) {
        Set<Integer> seen = new LinkedHashSet<>();
        List<Integer> todo = new ArrayList<>();
        int start = indexOf(offset);
        if (start < 0) {
            throw new IllegalArgumentException("synset " + offset + " is not a node of the graph");
        }
        todo.add(start);
        while (!todo.isEmpty()) {
            int i = todo.remove(todo.size() - 1);
            if (seen.add(i)) {
                for (long p : nodes.get(i).parents()) {
                    todo.add(index.get(p));
                }
            }
        }
        return seen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return node count per level */
    public Map<Integer, Integer> levels() {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        for (Node n : nodes) {
            out.merge(n.level(), 1, Integer::sum);
        }
        return out;
    }

    /** @return the set of offsets */
    public Set<Long> offsets() {
        return new HashSet<>(index.keySet());
    }
}
