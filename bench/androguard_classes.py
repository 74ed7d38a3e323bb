#!/usr/bin/python3
"""Peer tool for the scan benchmark: androguard (Debian package) reading the
permissions and every class name of each APK given, as an inspector's script
would. Prints one line per APK: permissions count and class count."""
import sys
import logging
logging.disable(logging.CRITICAL)
from androguard.core.bytecodes.apk import APK
from androguard.core.bytecodes.dvm import DalvikVMFormat

for path in sys.argv[1:]:
    a = APK(path)
    perms = a.get_permissions()
    n = 0
    for raw in a.get_all_dex():
        n += len(DalvikVMFormat(raw).get_classes())
    print(f"{path}\t{len(perms)} permissions\t{n} classes")
