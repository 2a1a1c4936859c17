package dev.vlmadapt.runtime.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectionTargetTest {
    @TempDir
    Path dir;

    @Test
    void oneTargetOrAMapOfThem() throws Exception {
        Path one = Files.writeString(dir.resolve("one.json"), "{\"name\": \"pets\", \"domain\": \"photos of pets\","
                + " \"task\": \"name the breed\", \"classes\": [\"beagle\", \"pug\"], \"templates\": [\"a photo of a "
                + "{c}.\"]}");
        SelectionTarget t = SelectionTarget.read(one).get(0);
        assertEquals("pets", t.text().name());
        assertEquals(List.of("beagle", "pug"), t.text().classes());
        assertEquals("photos of pets; name the breed", t.text().description());
        Path many = Files.writeString(dir.resolve("many.json"), "{\"a\": {\"classes\": [\"x\"]}, \"b\": {\"name\": "
                + "\"bee\", \"classes\": [\"y\", \"z\"]}}");
        List<SelectionTarget> ts = SelectionTarget.read(many);
        assertEquals(List.of("a", "bee"), ts.stream().map(x -> x.text().name()).toList());
        assertEquals("a", ts.get(0).text().description(), "no domain or task: the name describes it");
    }

    @Test
    void badTargetFilesNameTheFileTheTargetAndTheField() throws Exception {
        expect("{\"name\": \"t\"}", "field \"classes\" is missing");
        expect("{\"name\": \"t\", \"classes\": []}", "field \"classes\" must be a non-empty list of strings");
        expect("{\"name\": \"t\", \"classes\": \"dog\"}", "field \"classes\" must be a non-empty list");
        expect("{\"name\": \"t\", \"classes\": [\"dog\", 3]}", "field \"classes\", item 1: expected a non-blank string");
        expect("{\"name\": \"t\", \"classes\": [\"dog\", \"dog\"]}", "names a class twice");
        expect("{\"name\": \"t\", \"classes\": [\"dog\"], \"templates\": [\"a photo\"]}", "has no {c}");
        expect("{\"name\": 7, \"classes\": [\"dog\"]}", "field \"name\" must be a string");
        expect("{\"pets\": {\"domain\": \"photos\"}}", "target 'pets': field \"classes\" is missing");
        expect("{\"name\": \"t\", \"classes\": [\"dog\"", "is not valid JSON");
        expect("[1, 2]", "expected a JSON object");
        expect("{}", "no target in it");
    }

    private void expect(String json, String message) throws Exception {
        Path f = Files.writeString(dir.resolve("t.json"), json);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelectionTarget.read(f));
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains(f.toString()), e.getMessage());
    }
}
