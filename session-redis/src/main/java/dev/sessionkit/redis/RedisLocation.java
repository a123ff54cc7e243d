// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import dev.sessionkit.redis.internal.ClientSetup;
import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a store connects, parsed from a location string: one Redis ({@code redis://}, {@code
 * rediss://}), a Sentinel-managed primary ({@code redis-sentinel://}, {@code rediss-sentinel://},
 * Lettuce's own forms) or a Redis Cluster ({@code redis-cluster://host:port[,host:port...]}, {@code
 * rediss-cluster://}). Error messages never repeat a password.
 */
final class RedisLocation {

  private static final String FORMS = "redis[s]://[:password@]host[:port][/database],"
      + " redis[s]-sentinel://[:password@]host[:port][,host[:port]...][/database]#primaryName"
      + " or redis[s]-cluster://[:password@]host:port[,host:port...]";

  private final List<RedisURI> nodes;
  private final boolean cluster;

  private RedisLocation(List<RedisURI> nodes, boolean cluster) {
    this.nodes = List.copyOf(nodes);
    this.cluster = cluster;
  }

  /** Wraps one Lettuce URI (standalone or Sentinel). */
  static RedisLocation of(RedisURI uri) {
    return new RedisLocation(List.of(uri), false);
  }

  /** Returns whether {@code location} names one of the supported schemes. */
  static boolean supports(String location) {
    String lower = location.strip().toLowerCase(Locale.ROOT);
    return lower.startsWith("redis://") || lower.startsWith("rediss://")
        || lower.startsWith("redis-sentinel://") || lower.startsWith("rediss-sentinel://")
        || lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://");
  }

  /**
   * Parses {@code location}.
   *
   * @throws IllegalArgumentException if it is none of the supported forms
   */
  static RedisLocation parse(String location) {
    String text = location.strip();
    String lower = text.toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://")) {
        return cluster(text, lower.startsWith("rediss"));
      }
      boolean single = lower.startsWith("redis://") || lower.startsWith("rediss://");
      if (single && new URI(text).getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
      if (supports(text)) {
        RedisURI uri = RedisURI.create(text);
        if (uri.getSentinels().isEmpty() ? uri.getHost() != null
            : uri.getSentinelMasterId() != null) {
          return of(uri);
        }
      }
    } catch (URISyntaxException | RuntimeException e) {
      // the messages repeat the URI, password included: not passed on
    }
    throw new IllegalArgumentException("not a Redis location (" + FORMS + "): "
        + redact(text));
  }

  private static RedisLocation cluster(String text, boolean tls) {
    String rest = text.substring(text.indexOf("://") + 3);
    int at = rest.lastIndexOf('@');
    String userInfo = at >= 0 ? rest.substring(0, at + 1) : "";
    String hosts = at >= 0 ? rest.substring(at + 1) : rest;
    if (userInfo.chars().anyMatch(c -> c == '/' || c == '?' || c == '#')) {
      // as in the other forms: Lettuce would read the rest of the password as a path, query or
      // fragment and the start of it as the host, which then appears in every message
      throw new IllegalArgumentException("a password's '/', '?' and '#' must be percent-encoded");
    }
    int end = hosts.length();
    for (char stop : new char[] {'/', '?', '#'}) {
      int i = hosts.indexOf(stop);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    String suffix = hosts.substring(end);
    if (!suffix.isEmpty() && !suffix.equals("/")) {
      throw new IllegalArgumentException("a cluster location has no database or options");
    }
    List<RedisURI> nodes = new ArrayList<>();
    for (String node : hosts.substring(0, end).split(",", -1)) {
      if (!node.strip().matches("[A-Za-z0-9._\\-]+:\\d{1,5}")) {
        throw new IllegalArgumentException("a cluster node is host:port");
      }
      nodes.add(RedisURI.create((tls ? "rediss://" : "redis://") + userInfo + node.strip()));
    }
    return new RedisLocation(nodes, true);
  }

  /** Returns the node URIs: one Redis or Sentinel URI, or the cluster's seed nodes. */
  List<RedisURI> nodes() {
    return nodes;
  }

  /** Returns whether replicas are part of it: a cluster or a Sentinel-managed primary. */
  boolean isReplicated() {
    return cluster || !nodes.get(0).getSentinels().isEmpty();
  }

  /** Returns whether this is a Redis Cluster. */
  boolean isCluster() {
    return cluster;
  }

  /** Describes the location without a password. */
  String describe() {
    if (!cluster) {
      return ClientSetup.describe(nodes.get(0));
    }
    StringBuilder out = new StringBuilder(nodes.get(0).isSsl() ? "rediss-cluster://"
        : "redis-cluster://");
    for (int i = 0; i < nodes.size(); i++) {
      out.append(i == 0 ? "" : ",").append(nodes.get(i).getHost()).append(':')
          .append(nodes.get(i).getPort());
    }
    return out.toString();
  }

  static String redact(String uri) {
    int at = uri.lastIndexOf('@');
    int scheme = uri.indexOf("://");
    return at > scheme && scheme >= 0 ? uri.substring(0, scheme + 3) + "***" + uri.substring(at)
        : uri;
  }
}
