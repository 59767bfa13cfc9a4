package io.github.dl4jclassics.data.download;

/**
 * One file of a data set on the internet.
 *
 * @param url             where to fetch it
 * @param fileName        the name it is saved under in the data set's folder
 * @param size            expected size in bytes; null when not published
 * @param sha256          expected SHA-256 (hex); null when the publisher does not document one
 * @param md5             expected MD5 (hex), the publisher's documented checksum where that is all there is; null if none
 * @param extractStrip    null: keep the file as it is (the readers read .gz/.tar.gz directly); otherwise extract the
 *                        archive into the folder, dropping this many leading path components (1 for GitHub archives)
 */
public record RemoteFile(String url, String fileName, Long size, String sha256, String md5, Integer extractStrip) {

    public RemoteFile {
        if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("download file name must be a plain name, got " + fileName);
        }
    }
}
