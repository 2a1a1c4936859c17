package dev.vlmadapt.jobs.cli;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.JobConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code vlmadapt datasets}. */
@Command(name = "datasets", description = "List the configured datasets.")
public final class DatasetsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        DatasetCatalog catalog = new DatasetCatalog(JobConfig.load(null, Map.of()));
        for (String name : catalog.names()) {
            System.out.println(name + ": " + catalog.info(name).description());
        }
        return 0;
    }
}
