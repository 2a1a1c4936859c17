package dev.vlmadapt.runtime.concepts;

import java.io.Serializable;
import java.util.Locale;

/**
 * One artistic style of the concept artwork: where its files are and under which licence.
 *
 * @param name short name, used in dataset names ({@code emoji-<name>})
 * @param kind how the artwork is stored
 * @param path folder (PNG, SVG) or Iconify package folder, relative to the npm {@code node_modules}
 * @param licence SPDX licence identifier
 * @param attribution who made the artwork
 */
public record ArtStyle(String name, Kind kind, String path, String licence, String attribution)
        implements Serializable {

    /** How a style's artwork is stored. */
    public enum Kind {
        /** {@code <path>/<emoji-datasource image name>}, e.g. {@code 1f436.png} */
        PNG,
        /** {@code <path>/<CODE>.svg}, e.g. {@code 1F436.svg}, with or without FE0F (OpenMoji) */
        SVG,
        /** An Iconify JSON package: {@code <path>/icons.json}, icons named like {@code dog-face} */
        ICONIFY;

        /**
         * @param name {@code png}, {@code svg} or {@code iconify}
         * @return the kind
         */
        public static Kind parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("style kind '" + name + "'; expected png, svg or iconify", e);
            }
        }
    }
}
