package io.berth.cli;

public final class BerthCommand {
    public static void main(String[] args) {
        System.out.println("berth");
    }
}
