package io.berth.model;

/** Where a configuration element was written: file name as given on the command line and 1-based line. */
public record Location(String file, int line) {
    public static final Location NONE = new Location("", 0);

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
