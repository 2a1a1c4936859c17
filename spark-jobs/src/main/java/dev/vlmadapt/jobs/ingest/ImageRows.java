package dev.vlmadapt.jobs.ingest;

import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Schema of the image table and conversion of decoded images to its rows. */
public final class ImageRows {
    /**
     * {@code id} stable image id ({@code <dataset>/<source split>/<index, or the name the reader gives it, e.g. google/1F436>}), {@code label}
     * class index, {@code class_name}, {@code source_split} (the dataset's own train/test), {@code image}
     * lossless PNG bytes, {@code width}, {@code height}. The {@code dataset} column comes from the partition.
     */
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("class_name", DataTypes.StringType, false)
            .add("source_split", DataTypes.StringType, false)
            .add("image", DataTypes.BinaryType, false)
            .add("width", DataTypes.IntegerType, false)
            .add("height", DataTypes.IntegerType, false);

    private ImageRows() {
    }

    /**
     * @param id stable id
     * @param label class index
     * @param className class name
     * @param split source split
     * @param image decoded image
     * @return the row
     * @throws IOException if PNG encoding fails
     */
    public static Row row(String id, int label, String className, String split, RasterImage image) throws IOException {
        return RowFactory.create(id, label, className, split, ImageCodec.encodePng(image), image.width(),
                image.height());
    }

    /**
     * @param row a row of {@link #SCHEMA}
     * @return the decoded image
     * @throws IOException if the bytes are not an image (the message names the id)
     */
    public static RasterImage image(Row row) throws IOException {
        return ImageCodec.decode((byte[]) row.getAs("image"), "image " + row.getAs("id"));
    }
}
