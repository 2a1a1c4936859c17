import java.util.*;
import java.io.*;
import java.nio.file.*;
import java.util.stream.*;
import static org.rapaio.jupyter.kernel.global.Global.*;
