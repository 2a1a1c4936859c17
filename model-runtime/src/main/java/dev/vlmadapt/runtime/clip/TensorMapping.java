package dev.vlmadapt.runtime.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * How one runtime tensor is stored in a checkpoint file: under one name as is, transposed, or as the
 * concatenation of several file tensors along axis 0 (Hugging Face keeps q/k/v projections apart, the runtime
 * fuses them into one GEMM).
 *
 * @param internal the runtime's name of the tensor
 * @param fileNames the names in the checkpoint file, one unless {@code kind} is {@link Kind#CONCAT}
 * @param fileShapes the expected shape of each file tensor
 * @param kind how file tensors become the runtime tensor
 */
public record TensorMapping(String internal, List<String> fileNames, List<Shape> fileShapes, Kind kind) {

    /** How file tensors relate to the runtime tensor. */
    public enum Kind {
        /** Stored as is. */
        IDENTITY,
        /** Stored as the transpose of a 2-D runtime tensor. */
        TRANSPOSE,
        /** Stored as equal parts of the runtime tensor, split along axis 0. */
        CONCAT
    }

    static TensorMapping same(String internal, String fileName, Shape shape) {
        return new TensorMapping(internal, List.of(fileName), List.of(shape), Kind.IDENTITY);
    }

    static TensorMapping transposed(String internal, String fileName, Shape fileShape) {
        return new TensorMapping(internal, List.of(fileName), List.of(fileShape), Kind.TRANSPOSE);
    }

    static TensorMapping concat(String internal, List<String> fileNames, Shape partShape) {
        return new TensorMapping(internal, fileNames, fileNames.stream().map(n -> partShape).toList(), Kind.CONCAT);
    }

    /**
     * @param expected a file tensor's expected shape
     * @param found its shape in the file
     * @return whether they agree; a one-element tensor stands for a scalar (converters write {@code logit_scale}
     *     both ways), and only there
     */
    static boolean accepts(Shape expected, Shape found) {
        return found.equals(expected) || (expected.dimension() == 0 && found.equals(new Shape(1)));
    }

    /**
     * @param parts file tensors in the order of {@link #fileNames()}, each {@link #accepts accepted}
     * @return the runtime tensor: the file tensor itself for {@link Kind#IDENTITY} (a scalar copy of a
     *     one-element one), else a new array
     */
    NDArray toInternal(List<NDArray> parts) {
        return switch (kind) {
            case IDENTITY -> parts.get(0).getShape().equals(fileShapes.get(0)) ? parts.get(0) : scalar(parts.get(0));
            case TRANSPOSE -> contiguousTranspose(parts.get(0));
            case CONCAT -> NDArrays.concat(new NDList(parts), 0);
        };
    }

    /**
     * A copy, not a view: a file tensor borrows the memory of the Java buffer it was read into, which its own
     * handle keeps alive; a view would outlive that handle when the reader's staging manager closes.
     */
    private static NDArray scalar(NDArray oneElement) {
        return oneElement.reshape(new Shape()).duplicate();
    }

    /** A copy laid out row-major (a plain clone would keep the transposed strides and slow GEMMs down). */
    private static NDArray contiguousTranspose(NDArray a) {
        Shape s = a.getShape();
        return a.transpose().flatten().reshape(s.get(1), s.get(0));
    }

    /**
     * @param tensor the runtime tensor
     * @return file tensors in the order of {@link #fileNames()}
     */
    List<NDArray> toFile(NDArray tensor) {
        return switch (kind) {
            case IDENTITY -> List.of(tensor.duplicate());
            case TRANSPOSE -> List.of(contiguousTranspose(tensor));
            case CONCAT -> tensor.split(fileNames.size(), 0).stream().map(NDArray::duplicate).toList();
        };
    }
}
