package dev.tessera.pipelines.exec.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a class file refers to, read from its constant pool (JVMS §4.4): every {@code CONSTANT_Class} entry
 * and every class named in a descriptor or signature ({@code Lpkg/Name;}), which covers field and method types,
 * lambdas' targets and generic signatures. Names are returned in binary form ({@code pkg.Outer$Inner}); array
 * classes give their element class.
 */
public final class ClassReferences {
  private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+)[;<]");

  private ClassReferences() {}

  /**
   * The referenced class names.
   *
   * @throws IOException if {@code bytecode} is not a class file
   */
  public static Set<String> of(byte[] bytecode) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytecode));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file (bad magic number)");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNameIndex = new int[count];
    int classes = 0;
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNameIndex[classes++] = in.readUnsignedShort();
        case 8, 16, 19, 20 -> in.readUnsignedShort(); // String, MethodType, Module, Package
        case 15 -> { // MethodHandle
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt(); // Integer, Float, refs, NameAndType, (Invoke)Dynamic
        case 5, 6 -> { // Long, Double take two slots
          in.readLong();
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    Set<String> names = new TreeSet<>();
    for (int k = 0; k < classes; k++) {
      String name = utf8[classNameIndex[k]];
      if (name == null) {
        continue;
      }
      if (name.startsWith("[")) {
        addDescriptorClasses(name, names);
      } else {
        names.add(name.replace('/', '.'));
      }
    }
    for (String text : utf8) {
      if (text != null && text.indexOf(';') > 0) {
        addDescriptorClasses(text, names);
      }
    }
    return names;
  }

  private static void addDescriptorClasses(String descriptor, Set<String> names) {
    Matcher matcher = DESCRIPTOR_CLASS.matcher(descriptor);
    while (matcher.find()) {
      names.add(matcher.group(1).replace('/', '.'));
    }
  }
}
