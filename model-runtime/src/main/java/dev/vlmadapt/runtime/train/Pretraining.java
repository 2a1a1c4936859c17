package dev.vlmadapt.runtime.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.clip.CheckpointLayout;
import dev.vlmadapt.runtime.clip.CheckpointWriter;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipWeights;
import dev.vlmadapt.runtime.text.ClipBpeVocabulary;
import dev.vlmadapt.runtime.text.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One whole pretraining, from captioned images to a checkpoint in the Hugging Face layout: a BPE vocabulary
 * trained on every caption, the CLIP trained with {@link ClipPretrainer}, written (staged) to the output. Shared
 * by {@code pretrain-tiny} and the hub build, which runs it inside Spark tasks.
 */
public final class Pretraining {
    /**
     * What a run produced.
     *
     * @param architecture the trained model's configuration (with its vocabulary size)
     * @param parameters trainable parameters
     * @param recomputedSteps steps recomputed after a transient non-finite value
     * @param trainSeconds wall time of training
     * @param imagesPerSecond throughput of the last epoch
     * @param epochLosses mean loss of each epoch (the learning curve)
     */
    public record Result(ClipConfig architecture, long parameters, int recomputedSteps, double trainSeconds,
            double imagesPerSecond, List<Double> epochLosses) {
    }

    private Pretraining() {
    }

    /**
     * @param architecture the model's architecture (its vocabulary size is replaced by the trained vocabulary's)
     * @param spec hyper-parameters
     * @param data datasets to train on together
     * @param device where to train
     * @param work a scratch folder for the tokenizer
     * @param output the model folder to write (must not exist)
     * @param progress told after every step and every epoch
     * @return what the run produced
     * @throws IOException if writing fails
     */
    public static Result run(ClipConfig architecture, PretrainSpec spec, List<CaptionedImages> data, Device device,
            Path work, Path output, ClipPretrainer.Progress progress) throws IOException {
        List<String> corpus = new ArrayList<>();
        for (CaptionedImages d : data) {
            corpus.addAll(d.captions());
        }
        // The vocabulary covers every caption; any other text still tokenizes through the byte alphabet.
        ClipBpeVocabulary vocab = ClipBpeVocabulary.train(corpus, 2000);
        Path tokenizerJson = work.resolve("tokenizer.json");
        vocab.write(tokenizerJson);
        ClipConfig arch = architecture.toBuilder().setText(architecture.text(), vocab.size()).build();
        long start = System.nanoTime();
        double[] lastRate = new double[1];
        List<Double> losses = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(device, "PyTorch");
                ClipTokenizer tokenizer = ClipTokenizer.load(tokenizerJson, arch.contextLength())) {
            ClipPretrainer trainer = new ClipPretrainer(arch, tokenizer, spec);
            ClipWeights weights = trainer.train(data, manager, new ClipPretrainer.Progress() {
                @Override
                public void epochDone(int epoch, int step, int total, double loss, double rate) {
                    lastRate[0] = rate;
                    losses.add(loss);
                    progress.epochDone(epoch, step, total, loss, rate);
                }

                @Override
                public void stepDone(int epoch, int step, int total, double loss) {
                    progress.stepDone(epoch, step, total, loss);
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            CheckpointWriter.write(arch, weights, tokenizerJson, vocab.sotId(), vocab.eotId(),
                    CheckpointLayout.HUGGING_FACE, output);
            return new Result(arch, weights.parameterCount(), trainer.recomputedSteps(), seconds, lastRate[0],
                    List.copyOf(losses));
        }
    }
}
