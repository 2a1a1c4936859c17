package dev.vlmadapt.jobs.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlmadapt.jobs.Devices;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.executor.TorchThreads;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipWeights;
import dev.vlmadapt.runtime.clip.TextTower;
import dev.vlmadapt.runtime.clip.TowerConfig;
import dev.vlmadapt.runtime.text.TokenBatch;
import dev.vlmadapt.runtime.train.ClipInitializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures, in one process with one thread setting: the machine's fp32 GEMM rate through DJL, the text tower's
 * achieved FLOP rate on K class prompts of a ViT-B/16-shaped CLIP, and the speedup of the EOT crop over the
 * padded 77-token pass. Reports medians of repeated runs after a warm-up.
 */
public final class BenchRuntimeJob implements Job {
    /** Square GEMM sizes; the machine's rate is the best median among them (small sizes under-use the cores). */
    private static final int[] GEMM_SIZES = {1024, 2048};

    @Override
    public String name() {
        return "bench-runtime";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        int k = config.integer("bench.classes", 1);
        int repeats = config.integer("bench.repeats", 1);
        Device device = Devices.resolve(config.string("device"));
        Path out = Path.of(config.string("bench.runtime-output"));
        try (RunDirectory run = RunDirectory.create(config, name());
                NDManager manager = NDManager.newBaseManager(device, "PyTorch")) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("threads", TorchThreads.current());
            r.put("device", device.toString());

            double gemmGflops = 0;
            for (int n : GEMM_SIZES) {
                double rate = gemmRate(manager, n, Math.max(5, repeats * 2));
                r.put("gemm_gflops_" + n, round(rate));
                System.out.printf(Locale.ROOT, "GEMM %d^3 fp32: %.1f GFLOP/s%n", n, rate);
                gemmGflops = Math.max(gemmGflops, rate);
            }

            ClipConfig vitB16 = dev.vlmadapt.runtime.clip.ClipArchitectures.vitB16();
            TokenBatch prompts = classPrompts(k, vitB16.contextLength(), 49406, 49407, 7);
            int cropped = prompts.maxEot() + 1;
            try (ClipWeights weights = ClipInitializer.initialize(vitB16, 1, manager.newSubManager())) {
                TextTower text = new TextTower(vitB16, weights);
                double cropSeconds = median(repeats, () -> pass(text, prompts, cropped, manager));
                double fullSeconds = median(repeats, () -> pass(text, prompts, vitB16.contextLength(), manager));
                double flops = textFlops(vitB16.text(), k, cropped);
                double textGflops = flops / cropSeconds / 1e9;
                r.put("gemm_gflops", round(gemmGflops));
                r.put("text_tower_gflops", round(textGflops));
                r.put("text_tower_gemm_fraction", round(textGflops / gemmGflops));
                r.put("eot_crop_speedup", round(fullSeconds / cropSeconds));
                r.put("classes", k);
                r.put("cropped_length", cropped);
                r.put("prompt_lengths", Arrays.toString(eotLengths(prompts)));
                r.put("text_pass_cropped_ms", round(cropSeconds * 1000));
                r.put("text_pass_77_ms", round(fullSeconds * 1000));
                r.put("model", "ViT-B/16-shaped text tower: width 512, 12 layers, 8 heads, context 77, random weights");
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), r);
            System.out.printf(Locale.ROOT, "text tower, %d prompts cropped to %d tokens: %.1f GFLOP/s "
                    + "(%.2f of GEMM), %.1f ms; 77 tokens: %.1f ms; crop speedup %.2fx%n", k, cropped,
                    r.get("text_tower_gflops"), r.get("text_tower_gemm_fraction"), r.get("text_pass_cropped_ms"),
                    r.get("text_pass_77_ms"), r.get("eot_crop_speedup"));
            System.out.println("wrote " + out);
            Map<String, Object> summary = run.commit(config, r);
            return summary;
        }
    }

    private static double gemmRate(NDManager manager, int n, int repeats) {
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            double seconds = median(repeats, () -> {
                try (NDManager t = m.newSubManager()) {
                    NDArray c = a.matMul(b);
                    c.attach(t);
                    c.getFloat(0, 0); // forces completion on asynchronous devices
                }
            });
            return 2.0 * n * n * n / seconds / 1e9;
        }
    }

    /** K prompts of 12–20 tokens before padding (SOT, 10–18 word tokens, EOT), like "a photo of a {class}." */
    static TokenBatch classPrompts(int k, int context, long sot, long eot, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] ids = new long[k * context];
        int[] eotPos = new int[k];
        for (int r = 0; r < k; r++) {
            int len = 12 + rng.nextInt(9);
            ids[r * context] = sot;
            for (int i = 1; i < len - 1; i++) {
                ids[r * context + i] = 1 + rng.nextInt(49000);
            }
            ids[r * context + len - 1] = eot;
            eotPos[r] = len - 1;
        }
        return new TokenBatch(ids, eotPos, context);
    }

    /** Multiply–adds ×2 of the transformer blocks for B sequences of L tokens (GEMMs and attention). */
    static double textFlops(TowerConfig t, int batch, int length) {
        double d = t.width();
        double perLayer = 2.0 * length * (4 * d * d + 2 * d * t.mlpWidth()) + 4.0 * length * length * d;
        return batch * t.layers() * perLayer;
    }

    private static void pass(TextTower text, TokenBatch prompts, int length, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            text.encode(prompts, length, m).getFloat(0, 0);
        }
    }

    private static int[] eotLengths(TokenBatch b) {
        return Arrays.stream(b.eotIndices()).map(e -> e + 1).sorted().distinct().toArray();
    }

    private static double median(int repeats, Runnable f) {
        f.run(); // warm-up
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long s = System.nanoTime();
            f.run();
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        return t[repeats / 2];
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
