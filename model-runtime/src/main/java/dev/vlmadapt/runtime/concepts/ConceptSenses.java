package dev.vlmadapt.runtime.concepts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Pointer;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;

/**
 * The WordNet meaning of each concept (WordNet 3.1 through extJWNL). WordNet's first sense is often not the
 * emoji's (tiger → "a fierce or audacious person", turtle → a sweater, banana → the plant), so a sense is
 * accepted only when its hypernym chain holds an ancestor that the concept's subcategory implies (mammal for
 * animal-mammal, edible fruit for food-fruit; the category's ancestors where the subcategory has none). The
 * words tried, in order: the label, the label without a trailing "face", "button" or "symbol", without a
 * possessive first word ("woman’s boot" → boot) and without a "with …" tail, and the short name; each as a
 * whole noun lemma (plurals through WordNet's morphology), never a part of the phrase. A concept whose words
 * have no such sense is unmapped, with the reason, not forced.
 *
 * <p>Synsets are named like NLTK's {@code tiger.n.02}: the synset's first lemma and which of that lemma's
 * noun senses it is, in WordNet 3.1's order.
 */
public final class ConceptSenses {
    /**
     * A concept's meaning.
     *
     * @param code the concept
     * @param synset the synset's name ({@code tiger.n.02}), or null when unmapped
     * @param offset its WordNet 3.1 noun offset, or -1
     * @param lemmas its lemmas
     * @param gloss its gloss
     * @param rule how it was chosen ({@code "tiger" sense 2 under mammal.n.01}), or why the concept is unmapped
     */
    public record Sense(String code, String synset, long offset, List<String> lemmas, String gloss, String rule) {
        /** Copies the lemmas. */
        public Sense {
            lemmas = List.copyOf(lemmas);
        }

        /** @return whether a synset was chosen */
        public boolean mapped() {
            return synset != null;
        }
    }

    private final WordNet wordNet;
    private final Dictionary dictionary;
    private final Map<String, List<String>> bySubcategory;
    private final Map<String, List<String>> byCategory;
    private final Map<String, Long> ancestorOffsets = new java.util.HashMap<>();

    /**
     * @param bySubcategory ancestor synset names ({@code mammal.n.01}) per subcategory
     * @param byCategory ancestors per category, for subcategories without their own
     * @throws IllegalArgumentException if an ancestor name is not a WordNet noun synset
     */
    public ConceptSenses(Map<String, List<String>> bySubcategory, Map<String, List<String>> byCategory) {
        this.wordNet = WordNet.get();
        this.dictionary = wordNet.dictionary();
        this.bySubcategory = Map.copyOf(bySubcategory);
        this.byCategory = Map.copyOf(byCategory);
        for (List<String> names : bySubcategory.values()) {
            names.forEach(this::resolveAncestor);
        }
        for (List<String> names : byCategory.values()) {
            names.forEach(this::resolveAncestor);
        }
    }

    /**
     * @param concept a concept
     * @return its sense, or an unmapped one with the reason
     */
    public Sense map(Concept concept) {
        List<String> ancestors = bySubcategory.getOrDefault(concept.subcategory(),
                byCategory.getOrDefault(concept.category(), List.of()));
        if (ancestors.isEmpty()) {
            return unmapped(concept, "no ancestor declared for subcategory " + concept.subcategory() + " or category "
                    + concept.category());
        }
        List<String> tried = new ArrayList<>();
        try {
            // Whole phrases first; then the last word of each phrase (its head noun: "maple leaf" → leaf,
            // "service dog" → dog), which keeps the meaning only as far as the ancestor check vouches for it.
            List<String> phrases = phrases(concept);
            List<String> heads = new ArrayList<>();
            for (String p : phrases) {
                String[] words = p.split(" ");
                if (words.length > 1 && !phrases.contains(words[words.length - 1])) {
                    heads.add(words[words.length - 1]);
                }
            }
            for (int stage = 0; stage < 2; stage++) {
                for (String phrase : stage == 0 ? phrases : heads) {
                    for (IndexWord word : nounLemmas(phrase)) {
                        if (tried.contains(word.getLemma())) {
                            continue;
                        }
                        tried.add(word.getLemma());
                        Sense found = firstUnder(concept, word, ancestors, stage == 0 ? "" : "head noun ");
                        if (found != null) {
                            return found;
                        }
                    }
                }
            }
        } catch (JWNLException e) {
            throw new IllegalStateException("WordNet lookup failed for " + concept.code() + ": " + e.getMessage(), e);
        }
        return unmapped(concept, tried.isEmpty() ? "no noun lemma among " + phrases(concept)
                : "no sense of " + tried + " under " + ancestors);
    }

    /** The first sense of {@code word} with one of the ancestors above it, or null. */
    private Sense firstUnder(Concept concept, IndexWord word, List<String> ancestors, String how)
            throws JWNLException {
        List<Synset> senses = word.getSenses();
        for (int k = 0; k < senses.size(); k++) {
            Set<Long> chain = hypernymClosure(senses.get(k));
            for (String a : ancestors) {
                if (chain.contains(ancestorOffsets.get(a))) {
                    Synset s = senses.get(k);
                    return new Sense(concept.code(), name(s), s.getOffset(), lemmas(s), s.getGloss(),
                            how + "\"" + word.getLemma() + "\" sense " + (k + 1) + " under " + a);
                }
            }
        }
        return null;
    }

    /** The phrases tried for a concept, most specific first, without repeats. */
    static List<String> phrases(Concept concept) {
        Set<String> out = new LinkedHashSet<>();
        String label = concept.label().toLowerCase(Locale.ROOT).replace('’', '\'').strip();
        out.add(label);
        String cleaned = label.replaceAll("\\s+with\\s.*$", "")
                .replaceAll("\\s+(face|button|symbol)$", "")
                .replaceAll("^\\S+'s\\s+", "");
        out.add(cleaned.strip());
        out.add(concept.shortName().toLowerCase(Locale.ROOT).replace('_', ' ').strip());
        out.removeIf(String::isEmpty);
        return List.copyOf(out);
    }

    /** Noun lemmas that are the whole phrase, or a base form of it (dogs → dog), never a part of it. */
    private List<IndexWord> nounLemmas(String phrase) throws JWNLException {
        List<IndexWord> out = new ArrayList<>();
        IndexWord exact = dictionary.getIndexWord(POS.NOUN, phrase);
        if (exact != null) {
            out.add(exact);
        }
        for (String base : dictionary.getMorphologicalProcessor().lookupAllBaseForms(POS.NOUN, phrase)) {
            IndexWord w = dictionary.getIndexWord(POS.NOUN, base);
            // Same number of words (hyphens count as breaks): "jack-o-lantern" must not become "jack".
            if (w != null && !out.contains(w) && words(base) == words(phrase)) {
                out.add(w);
            }
        }
        return out;
    }

    private static int words(String phrase) {
        return phrase.split("[\\s_-]+").length;
    }

    /** Offsets of the synset and everything above it (hypernyms and instance hypernyms). */
    private static Set<Long> hypernymClosure(Synset synset) throws JWNLException {
        Set<Long> seen = new HashSet<>();
        Deque<Synset> todo = new ArrayDeque<>(List.of(synset));
        while (!todo.isEmpty()) {
            Synset s = todo.pop();
            if (!seen.add(s.getOffset())) {
                continue;
            }
            for (Pointer p : s.getPointers()) {
                if (p.getType() == PointerType.HYPERNYM || p.getType() == PointerType.INSTANCE_HYPERNYM) {
                    todo.push(p.getTargetSynset());
                }
            }
        }
        return seen;
    }

    private void resolveAncestor(String name) {
        try {
            ancestorOffsets.computeIfAbsent(name, n -> wordNet.byName(n).getOffset());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ancestor " + e.getMessage(), e);
        }
    }

    private String name(Synset s) {
        return wordNet.name(s);
    }

    private static List<String> lemmas(Synset s) {
        List<String> out = new ArrayList<>();
        for (Word w : s.getWords()) {
            out.add(w.getLemma());
        }
        return out;
    }

    private static Sense unmapped(Concept concept, String reason) {
        return new Sense(concept.code(), null, -1, List.of(), "", reason);
    }
}
