package dev.vlmadapt.runtime.select;

import java.util.List;

/**
 * What is known of a dataset without its images: a sentence about the images (domain), one about the task, and
 * the class names. Selection compares datasets and matches classes through these texts alone.
 *
 * @param name the dataset
 * @param domain what the images are ("grayscale product photos of clothing"), may be empty
 * @param task what is asked ("classify the type of clothing article"), may be empty
 * @param classes class names, at least one
 */
public record DatasetText(String name, String domain, String task, List<String> classes) {
    /** Checks the fields. */
    public DatasetText {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a dataset text needs a name");
        }
        domain = domain == null ? "" : domain.strip();
        task = task == null ? "" : task.strip();
        if (classes == null || classes.isEmpty() || classes.stream().anyMatch(c -> c == null || c.isBlank())) {
            throw new IllegalArgumentException(name + ": classes must be a non-empty list of non-blank names");
        }
        classes = List.copyOf(classes);
    }

    /** @return the sentence that describes the dataset: domain and task, or the name when both are empty */
    public String description() {
        String s = (domain + (domain.isEmpty() || task.isEmpty() ? "" : "; ") + task).strip();
        return s.isEmpty() ? name : s;
    }
}
