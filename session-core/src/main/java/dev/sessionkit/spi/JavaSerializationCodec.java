// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The default {@link AttributeCodec}: Java serialization, read only through an {@link
 * ObjectInputFilter} allow-list, so that hostile bytes in a database cannot run code.
 *
 * <p>Allowed by default: {@code String}, the boxed primitives, {@code BigInteger}, {@code
 * BigDecimal}, {@code UUID}, {@code Locale}, {@code java.time} values, the JDK's common lists, sets
 * and maps (including {@code List.of} and the {@code Collections} wrappers) and arrays of these and
 * of primitives. Add the application's own classes by name or package pattern:
 *
 * <pre>{@code
 * AttributeCodec codec = JavaSerializationCodec.builder()
 *     .allow("com.example.shop.Cart", "com.example.shop.model.*")
 *     .build();
 * }</pre>
 *
 * <p>Patterns follow {@link ObjectInputFilter.Config#createFilter}: {@code a.b.C} one class,
 * {@code a.b.*} the classes of a package, {@code a.b.**} a package and its subpackages. A class
 * outside the list fails with an {@link AttributeCodecException} naming it, before any of its code
 * runs. Graphs are bounded (depth 20, 10 000 references, arrays of 1 000 000 elements, 1 MiB).
 * {@link #encode} checks that the value reads back under the same rules, so that a value that
 * could not be read is refused when it is written, instead of costing the session later.
 */
public final class JavaSerializationCodec implements AttributeCodec {

  /** The classes and packages allowed by default (ObjectInputFilter patterns). */
  public static final List<String> DEFAULT_ALLOWED = List.of(
      "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short",
      "java.lang.Character", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
      "java.lang.Double", "java.lang.Number", "java.lang.Enum", "java.lang.Object",
      "java.math.BigInteger", "java.math.BigDecimal", "java.util.UUID", "java.util.Locale",
      "java.time.*", "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque",
      "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.HashSet",
      "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.EnumMap", "java.util.EnumSet",
      "java.util.RegularEnumSet", "java.util.JumboEnumSet", "java.util.EnumSet$SerializationProxy",
      "java.util.CollSer", "java.util.ImmutableCollections$*", "java.util.Map$Entry", "java.util.Arrays$ArrayList",
      "java.util.Collections$*", "java.util.concurrent.ConcurrentHashMap",
      "java.util.concurrent.ConcurrentHashMap$Segment", "java.util.concurrent.CopyOnWriteArrayList");

  private static final String LIMITS = "maxdepth=20;maxrefs=10000;maxarray=1000000;maxbytes=1048576";
  private static final JavaSerializationCodec DEFAULT = builder().build();

  private final ObjectInputFilter classFilter;
  private final ObjectInputFilter limitFilter;
  private final List<String> allowed;

  private JavaSerializationCodec(List<String> allowed) {
    this.allowed = List.copyOf(allowed);
    this.classFilter = ObjectInputFilter.Config.createFilter(String.join(";", allowed) + ";!*");
    this.limitFilter = ObjectInputFilter.Config.createFilter(LIMITS);
  }

  /**
   * Returns the codec with the default allow-list only.
   *
   * @return the codec with the default allow-list only
   */
  public static JavaSerializationCodec withDefaults() {
    return DEFAULT;
  }

  /**
   * Returns a builder that starts from the default allow-list.
   *
   * @return a builder that starts from the default allow-list
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the allow-list patterns this codec reads through.
   *
   * @return the allow-list patterns this codec reads through
   */
  public List<String> allowed() {
    return allowed;
  }

  @Override
  public byte[] encode(String name, Object value) {
    Objects.requireNonNull(value, "value");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (NotSerializableException e) {
      throw new AttributeCodecException("attribute '" + name + "' holds " + e.getMessage()
          + ", which is not Serializable", e);
    } catch (IOException e) {
      throw new AttributeCodecException("attribute '" + name + "' cannot be serialized", e);
    }
    byte[] encoded = bytes.toByteArray();
    // Store only what can be read back: a value this codec would refuse to read (a class off the
    // allow-list, a graph over the limits) fails here, at the write, not later as a lost session.
    try {
      decode(name, encoded);
    } catch (AttributeCodecException e) {
      throw new AttributeCodecException("attribute '" + name + "' would not read back: "
          + e.getMessage(), e);
    }
    return encoded;
  }

  @Override
  public Object decode(String name, byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    String[] rejected = new String[1];
    ObjectInputFilter filter = info -> check(info, rejected);
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(filter);
      return in.readObject();
    } catch (InvalidClassException e) {
      if (rejected[0] != null) {
        throw new AttributeCodecException("attribute '" + name + "' holds class " + rejected[0]
            + ", which is not on the codec's allow-list (add it with"
            + " JavaSerializationCodec.builder().allow(...))", e);
      }
      throw new AttributeCodecException("attribute '" + name + "' cannot be deserialized: "
          + e.getMessage(), e);
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      throw new AttributeCodecException("attribute '" + name + "' cannot be deserialized ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info, String[] rejected) {
    ObjectInputFilter.Status limits = limitFilter.checkInput(info);
    if (limits == ObjectInputFilter.Status.REJECTED) {
      rejected[0] = null;
      return limits;
    }
    Class<?> type = info.serialClass();
    if (type == null) {
      return ObjectInputFilter.Status.ALLOWED;
    }
    while (type.isArray()) {
      type = type.getComponentType();
    }
    if (type.isPrimitive()) {
      return ObjectInputFilter.Status.ALLOWED;
    }
    ObjectInputFilter.Status status = classFilter.checkInput(new ElementInfo(info, type));
    if (status != ObjectInputFilter.Status.ALLOWED) {
      rejected[0] = type.getName();
      return ObjectInputFilter.Status.REJECTED;
    }
    return status;
  }

  /** Presents an array's element type to the pattern filter. */
  private record ElementInfo(ObjectInputFilter.FilterInfo info, Class<?> type)
      implements ObjectInputFilter.FilterInfo {
    @Override
    public Class<?> serialClass() {
      return type;
    }

    @Override
    public long arrayLength() {
      return info.arrayLength();
    }

    @Override
    public long depth() {
      return info.depth();
    }

    @Override
    public long references() {
      return info.references();
    }

    @Override
    public long streamBytes() {
      return info.streamBytes();
    }
  }

  /** Builds a {@link JavaSerializationCodec} with a longer allow-list. Not thread-safe. */
  public static final class Builder {
    private final List<String> allowed = new ArrayList<>(DEFAULT_ALLOWED);

    private Builder() {}

    /**
     * Adds classes or package patterns to the allow-list ({@code com.example.Cart}, {@code
     * com.example.*}, {@code com.example.**}).
     *
     * @param patterns class names, or package patterns ending in {@code .*} or {@code .**}
     * @return this builder
     */
    public Builder allow(String... patterns) {
      for (String p : patterns) {
        Objects.requireNonNull(p, "pattern");
        if (p.isBlank() || p.contains(";") || p.startsWith("!") || p.contains("=")
            || p.equals("*") || p.equals("**")) {
          throw new IllegalArgumentException(
              "allow pattern must be a class name or package pattern such as com.example.*: " + p);
        }
        allowed.add(p.strip());
      }
      return this;
    }

    /**
     * Returns the codec.
     *
     * @return the codec
     */
    public JavaSerializationCodec build() {
      return new JavaSerializationCodec(allowed);
    }
  }
}
