package io.github.dl4jclassics.experiments.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where an experiment comes from.
 *
 * @param note       the seed note id (e.g. "004")
 * @param paper      the paper, when there is one
 * @param documented the documented result in the source's own words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceInfo(String note, String paper, String documented) {
}
