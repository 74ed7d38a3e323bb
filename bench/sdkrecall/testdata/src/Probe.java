package com.example.probe;

import java.util.List;

// Test input for bench/sdkrecall's class-file reader (testdata/Probe.class,
// built with javac --release 8): long and double constants, both switch
// forms, and each invoke kind.
public class Probe extends Thread implements Runnable {
    static final long BIG = 0x123456789L;
    static final double D = 2.5;

    public String pick(int k, List<String> l) {
        String s;
        switch (k) {
        case 1: s = "one"; break;
        case 2: s = "two"; break;
        case 3: s = "three"; break;
        default: s = "many";
        }
        switch (k * 1000) {
        case 1000: s = s + "x"; break;
        case 900000: s = s + "y"; break;
        }
        int[] big = new int[300];
        for (int i = 0; i < 300; i++) { big[i] = i; }
        int w = big[299];
        w += 1000;
        l.add(s);                           // invokeinterface
        Runnable r = () -> System.gc();    // invokedynamic
        r.run();
        return String.valueOf(w + BIG + (long) D) + s.trim(); // invokestatic, invokevirtual
    }

    public static String id(android_stub.TelephonyManager tm) {
        return tm.getDeviceId();
    }
}
