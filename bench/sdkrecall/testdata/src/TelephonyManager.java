package android_stub;
public class TelephonyManager { public String getDeviceId() { return null; } }
