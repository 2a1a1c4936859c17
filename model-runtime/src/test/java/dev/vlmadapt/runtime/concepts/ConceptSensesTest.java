package dev.vlmadapt.runtime.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pinned concepts whose WordNet first sense is wrong, and the rules' edges (WordNet 3.1 from its Maven jar). */
class ConceptSensesTest {
    static ConceptSenses senses;

    @BeforeAll
    static void wordnet() {
        senses = new ConceptSenses(Map.of(
                "animal-mammal", List.of("mammal.n.01"),
                "animal-reptile", List.of("reptile.n.01"),
                "food-fruit", List.of("edible_fruit.n.01", "fruit.n.01", "vegetable.n.01"),
                "food-prepared", List.of("food.n.02", "food.n.01", "container.n.01"),
                "food-asian", List.of("food.n.02", "food.n.01", "container.n.01")),
                Map.of("Activities", List.of("artifact.n.01", "activity.n.01", "event.n.01"),
                        "Objects", List.of("artifact.n.01")));
    }

    private static Concept concept(String label, String shortName, String category, String subcategory) {
        return new Concept("X", label, List.of(), category, subcategory, shortName, "x.png");
    }

    private static ConceptSenses.Sense map(String label, String shortName, String subcategory) {
        String category = subcategory.startsWith("animal") ? "Animals & Nature"
                : subcategory.startsWith("food") ? "Food & Drink" : subcategory;
        return senses.map(concept(label, shortName, category, subcategory));
    }

    @Test
    void theSubcategoryPicksTheSenseWhereWordNetsFirstIsWrong() {
        // Sense 1 of each is a fierce person, a sweater, the banana plant and the caustic, in that order.
        assertEquals("tiger.n.02", map("tiger", "tiger", "animal-mammal").synset());
        assertEquals("\"tiger\" sense 2 under mammal.n.01", map("tiger", "tiger", "animal-mammal").rule());
        assertEquals("turtle.n.02", map("turtle", "turtle", "animal-reptile").synset());
        assertEquals("banana.n.02", map("banana", "banana", "food-fruit").synset());
        ConceptSenses.Sense lime = map("lime", "lime", "food-fruit");
        assertEquals("lime.n.06", lime.synset());
        assertTrue(lime.gloss().contains("fruit"), lime.gloss());
        assertTrue(lime.lemmas().contains("lime"), lime.lemmas().toString());
        assertTrue(lime.offset() > 0);
    }

    @Test
    void cleanedLabelsShortNamesAndHeadNounsAreTriedInThatOrder() {
        assertEquals("dog.n.01", map("dog face", "dog", "animal-mammal").synset());
        ConceptSenses.Sense leg = map("poultry leg", "poultry_leg", "food-prepared");
        assertEquals("leg.n.05", leg.synset());
        assertTrue(leg.rule().startsWith("head noun \"leg\""), leg.rule());
        // Only whole words count: "jack-o-lantern" is not the bowling "jack".
        ConceptSenses.Sense lantern = senses.map(concept("jack-o-lantern", "jack_o_lantern", "Activities", "event"));
        assertFalse(lantern.synset().startsWith("jack."), lantern.synset());
        assertEquals(List.of("woman's boot", "boot"),
                ConceptSenses.phrases(concept("woman’s boot", "boot", "Objects", "clothing")));
        assertEquals(List.of("nest with eggs", "nest"),
                ConceptSenses.phrases(concept("nest with eggs", "nest_with_eggs", "x", "y")));
        assertEquals(List.of("dog face", "dog"), ConceptSenses.phrases(concept("dog face", "dog", "x", "y")));
    }

    @Test
    void withoutATrustworthySenseAConceptIsUnmappedWithTheReason() {
        ConceptSenses.Sense dango = map("dango", "dango", "food-asian");
        assertFalse(dango.mapped());
        assertNull(dango.synset());
        assertEquals("no noun lemma among [dango]", dango.rule());
        ConceptSenses.Sense unicorn = map("unicorn", "unicorn", "animal-mammal");
        assertTrue(unicorn.rule().startsWith("no sense of [unicorn"), unicorn.rule());
        ConceptSenses.Sense nothing = senses.map(concept("rainbow", "rainbow", "Travel & Places", "sky & weather"));
        assertTrue(nothing.rule().startsWith("no ancestor declared for subcategory sky & weather"), nothing.rule());
    }

    @Test
    void anAncestorThatIsNoWordNetSynsetIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConceptSenses(Map.of("x", List.of("mammal.n.99")), Map.of()));
        assertTrue(e.getMessage().contains("'mammal.n.99' is not a WordNet noun synset"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConceptSenses(Map.of("x", List.of("mammal")),
                Map.of()));
    }
}
