package dev.vlmadapt.runtime.plan;

/**
 * Seconds a run's schedule takes, from a few calibrated times. A batch's query groups are spread over the
 * slots (parallel tasks), so a batch of n queries in groups of g takes ⌈⌈n/g⌉ / slots⌉ group passes after the
 * dispatch, each wave timed with every slot busy (slots share the machine's cores and memory; a last wave of
 * fewer groups costs between a pass alone and a full wave); a chain is one
 * task that takes its steps one after the other, each a pass over that step's few queries while the other slots
 * idle. A pass over q queries alone is interpolated between the two calibrated sizes (a chain step's queries,
 * a full group): a pass's cost is a fixed part (prompt assembly, the scores) plus a part per query.
 *
 * @param slots tasks that run at once (1 when queries run in the driver)
 * @param groupSize g, queries per pass
 * @param dispatchSeconds the cost of sending work to the executors and collecting it (0 in the driver)
 * @param smallQueries the smaller calibrated size: the queries of one chain step (2 for SharpZO's stage 2)
 * @param smallPassSeconds a pass over that many queries alone
 * @param groupPassSeconds a pass over a full group alone
 * @param waveSeconds a pass over a full group while every slot computes one
 * @param measureSeconds one measurement of the solution (training and validation splits)
 */
public record CostModel(int slots, int groupSize, double dispatchSeconds, int smallQueries, double smallPassSeconds,
        double groupPassSeconds, double waveSeconds, double measureSeconds) {

    public CostModel {
        if (slots < 1 || groupSize < 1 || smallQueries < 1 || smallQueries > groupSize) {
            throw new IllegalArgumentException("slots = " + slots + ", groupSize = " + groupSize + ", smallQueries = "
                    + smallQueries + "; expected ≥ 1 and smallQueries ≤ groupSize");
        }
    }

    /**
     * @param queries q
     * @return seconds of one pass over q ≤ g queries alone (several passes beyond g)
     */
    public double passSeconds(long queries) {
        if (queries > groupSize) {
            long full = queries / groupSize;
            return full * groupPassSeconds + (queries % groupSize == 0 ? 0 : passSeconds(queries % groupSize));
        }
        if (groupSize == smallQueries || queries <= smallQueries) {
            return queries <= smallQueries ? smallPassSeconds : groupPassSeconds;
        }
        double perQuery = (groupPassSeconds - smallPassSeconds) / (groupSize - smallQueries);
        return smallPassSeconds + (queries - smallQueries) * perQuery;
    }

    /**
     * @param d a dispatch
     * @return its seconds
     */
    public double seconds(QuerySchedule.Dispatch d) {
        if (d.chain()) {
            return dispatchSeconds + d.steps() * passSeconds(Math.max(1, d.queries() / Math.max(1, d.steps())));
        }
        long groups = (d.queries() + groupSize - 1) / groupSize;
        if (groups <= 1) {
            return dispatchSeconds + passSeconds(d.queries());
        }
        long full = groups / slots;
        long rest = groups % slots;
        // A last wave of fewer groups than slots shares the machine with fewer passes: between alone and full.
        double last = rest == 0 ? 0 : groupPassSeconds + (waveSeconds - groupPassSeconds) * (rest - 1)
                / Math.max(1, slots - 1);
        return dispatchSeconds + full * waveSeconds + last;
    }

    /**
     * @param schedule a run's schedule
     * @return seconds of its queries and of its measurements: {queries, measurements}
     */
    public double[] seconds(QuerySchedule schedule) {
        double q = 0;
        for (QuerySchedule.Dispatch d : schedule.dispatches()) {
            q += seconds(d);
        }
        return new double[] {q, (schedule.measurements() + schedule.tests()) * measureSeconds};
    }
}
