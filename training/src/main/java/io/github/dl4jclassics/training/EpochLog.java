package io.github.dl4jclassics.training;

import io.github.dl4jclassics.common.EpochRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import io.github.dl4jclassics.common.AtomicFiles;
import java.util.List;

/**
 * {@code epochs.csv}: one row per finished epoch, rewritten atomically after each epoch. The test columns
 * ({@link EpochRecord#TEST_COLUMNS}) follow the usual ones when a row has a per-epoch test evaluation.
 */
public final class EpochLog {

    private final Path file;
    private final List<EpochRecord> records = new ArrayList<>();

    public EpochLog(Path file) {
        this.file = file;
    }

    public void restore(List<EpochRecord> earlier) {
        records.clear();
        records.addAll(earlier);
    }

    public void append(EpochRecord record) throws IOException {
        records.add(record);
        rewrite();
    }

    /** Writes the file from the records held (after {@link #restore}). */
    public void rewrite() throws IOException {
        boolean withTest = EpochRecord.hasTestColumns(records);
        StringBuilder csv = new StringBuilder(EpochRecord.csvHeader(records)).append('\n');
        for (EpochRecord row : records) {
            csv.append(row.toCsv(withTest)).append('\n');
        }
        AtomicFiles.writeString(file, csv.toString());
    }

    public List<EpochRecord> records() {
        return List.copyOf(records);
    }
}
