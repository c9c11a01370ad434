package io.berth.cli;

/** The version from the jar manifest (Implementation-Version), or "dev" when run from classes. */
final class Version {
    private Version() {
    }

    static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
