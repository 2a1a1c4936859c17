package dev.vlmadapt.jobs.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tasks' reports merge per executor: tasks add up, model loads count distinct load ids. */
class ExecutorReportTest {
    private static ExecutorReport.Use use(String executor, long pid, String... loads) {
        return new ExecutorReport.Use(executor, "127.0.0.1", pid, 1, Set.of(loads), 1);
    }

    @Test
    void tasksAddUpAndTheSameLoadCountsOnce() {
        ExecutorReport onDriver = new ExecutorReport();
        assertTrue(onDriver.isZero());
        // Two task-side copies, as Spark ships them, merged on the driver.
        ExecutorReport taskA = onDriver.copy();
        taskA.add(use("10", 7, "load-a"));
        taskA.add(use("2", 5, "load-b"));
        ExecutorReport taskB = onDriver.copy();
        taskB.add(use("10", 7, "load-a"));
        taskB.add(use("10", 7, "load-c"));
        onDriver.merge(taskA);
        onDriver.merge(taskB);

        List<Map<String, Object>> rows = onDriver.rows();
        assertEquals(List.of("2", "10"), rows.stream().map(r -> r.get("executor")).toList(), "numeric order");
        assertEquals(Map.of("executor", "10", "host", "127.0.0.1", "pid", 7L, "tasks", 3, "model_loads", 2,
                "threads", 1),
                rows.get(1), "three tasks that used two distinct loads");
        assertEquals(1, rows.get(0).get("model_loads"));
        onDriver.reset();
        assertTrue(onDriver.isZero());
    }
}
