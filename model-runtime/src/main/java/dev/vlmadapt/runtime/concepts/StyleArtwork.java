package dev.vlmadapt.runtime.concepts;

import dev.vlmadapt.runtime.image.Artwork;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds and renders a style's artwork of a concept. */
public final class StyleArtwork {
    private final ArtStyle style;
    private final Path folder;
    private final IconifySet iconify;

    private StyleArtwork(ArtStyle style, Path folder, IconifySet iconify) {
        this.style = style;
        this.folder = folder;
        this.iconify = iconify;
    }

    /**
     * @param style the style
     * @param modules the npm {@code node_modules} folder
     * @return its artwork
     * @throws IOException if the style's folder or Iconify file is missing or malformed
     */
    public static StyleArtwork open(ArtStyle style, Path modules) throws IOException {
        Path folder = modules.resolve(style.path());
        if (!Files.isDirectory(folder)) {
            throw new IOException("style " + style.name() + ": " + folder + " does not exist (run `make data` to "
                    + "install the concept artwork)");
        }
        IconifySet set = style.kind() == ArtStyle.Kind.ICONIFY ? IconifySet.read(folder.resolve("icons.json")) : null;
        return new StyleArtwork(style, folder, set);
    }

    /** @return the style */
    public ArtStyle style() {
        return style;
    }

    /**
     * @param concept a concept
     * @return whether this style draws it
     */
    public boolean has(Concept concept) {
        return switch (style.kind()) {
            case PNG -> Files.isRegularFile(folder.resolve(concept.image()));
            case SVG -> svgFile(concept) != null;
            case ICONIFY -> iconify.match(concept) != null;
        };
    }

    /** OpenMoji names most files without the variation selector FE0F and a few with it. */
    private Path svgFile(Concept concept) {
        String qualified = concept.image().replaceFirst("\\.png$", "").toUpperCase(java.util.Locale.ROOT);
        for (String name : java.util.List.of(concept.code(), qualified)) {
            Path p = folder.resolve(name + ".svg");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * @param concept a concept this style has ({@link #has})
     * @return where its artwork is: a file, or {@code <icons.json>#<icon name>}
     */
    public String source(Concept concept) {
        return switch (style.kind()) {
            case PNG -> folder.resolve(concept.image()).toString();
            case SVG -> svgFile(concept).toString();
            case ICONIFY -> folder.resolve("icons.json") + "#" + iconify.match(concept);
        };
    }

    /**
     * @param concept a concept this style has ({@link #has})
     * @param size side of the square output in pixels
     * @param background RGB background the transparency is composited onto
     * @return the rendered artwork, 3 channels
     * @throws IOException if the artwork is missing or cannot be rendered (the message names the source)
     */
    public RasterImage render(Concept concept, int size, int background) throws IOException {
        if (!has(concept)) {
            throw new IOException("style " + style.name() + " has no artwork of " + concept.code() + " ("
                    + concept.label() + ")");
        }
        String what = style.name() + " " + concept.code() + " (" + source(concept) + ")";
        return switch (style.kind()) {
            case PNG -> Artwork.fromPng(Files.readAllBytes(folder.resolve(concept.image())), size, background, what);
            case SVG -> Artwork.fromSvg(Files.readString(svgFile(concept), StandardCharsets.UTF_8), size, background,
                    what);
            case ICONIFY -> Artwork.fromSvg(iconify.svg(iconify.match(concept)), size, background, what);
        };
    }
}
