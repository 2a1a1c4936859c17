package dev.vlmadapt.jobs;

import java.util.Map;

/** A job: reads its keys from a resolved config, does its work, and returns the key results of its summary. */
public interface Job {
    /** @return the job's name, also its command and its directory under {@code output.root} */
    String name();

    /**
     * @param config the resolved configuration
     * @return the summary written to {@code summary.json}
     * @throws Exception on failure; nothing is left at the run's output path
     */
    Map<String, Object> run(JobConfig config) throws Exception;
}
