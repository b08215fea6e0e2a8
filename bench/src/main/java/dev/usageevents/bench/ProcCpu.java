package dev.usageevents.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU times from /proc: of a process or thread, of a PostgreSQL server running on this machine, of every core. */
final class ProcCpu {

    /** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux this runs on). */
    static final double TICKS = 100;

    private ProcCpu() {
    }

    /** The parent of a process: a backend's is its server's postmaster. */
    static long parent(long pid) throws IOException {
        return Long.parseLong(stat(pid)[1]);
    }

    /**
     * PostgreSQL's CPU ticks so far: the postmaster with the children it has reaped (a backend that exited,
     * pgbench's included) and its live children (backends, background writer, WAL writer, checkpointer,
     * autovacuum).
     */
    static long postgresTicks(long postmaster) throws IOException {
        long postgres;
        long reaped;
        do {
            // A backend reaped while its siblings are read (pgbench's, or a pool's, all exiting at the end of a
            // load) would be in neither sum: read again until the reaped children's times did not move meanwhile.
            String[] main = stat(postmaster);
            reaped = reapedTicks(main);
            postgres = ticks(main, 11) + ticks(main, 12) + reaped + liveChildrenTicks(postmaster);
        } while (reaped != reapedTicks(stat(postmaster)));
        return postgres;
    }

    /** The CPU ticks of the postmaster's children alive now (or exited and not yet reaped). */
    private static long liveChildrenTicks(long postmaster) throws IOException {
        long sum = 0;
        try (var processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    String[] child = stat(Long.parseLong(process.getFileName().toString()));
                    if (Long.parseLong(child[1]) == postmaster) {
                        sum += ticks(child, 11) + ticks(child, 12);
                    }
                } catch (IOException gone) {
                    // reaped meanwhile: the postmaster's reaped-children times moved, and postgresTicks reads again
                }
            }
        }
        return sum;
    }

    /** The CPU ticks of the children the postmaster has reaped, from its stat. */
    private static long reapedTicks(String[] postmasterStat) {
        return ticks(postmasterStat, 13) + ticks(postmasterStat, 14);
    }

    /**
     * Every core's busy ticks so far (/proc/stat: user, nice, system, irq, softirq, steal): with the service's and
     * PostgreSQL's, what the load client and the kernel took, and whether the machine had any CPU left.
     */
    static long machineBusyTicks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
        long busy = 0;
        for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(cpu[field]);
        }
        return busy;
    }

    /** A process's user and system ticks so far (all its threads). */
    static long processTicks(long pid) throws IOException {
        String[] stat = stat(pid);
        return ticks(stat, 11) + ticks(stat, 12);
    }

    /** The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [11] utime, [12] stime, ... */
    static String[] stat(long pid) throws IOException {
        return stat(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** The same of a /proc stat file: a process's, or a thread's ({@code /proc/PID/task/TID/stat}). */
    static String[] stat(Path file) throws IOException {
        String line = Files.readString(file);
        return line.substring(line.lastIndexOf(')') + 2).split(" ");
    }

    static long ticks(String[] stat, int field) {
        return Long.parseLong(stat[field]);
    }
}
