// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit;

/**
 * Which attribute values that the application changed in place (without {@code putAttribute} or
 * {@code setAttribute}: {@code ((List) session.getAttribute("cart")).add(item)}, a JSP session bean
 * whose properties change) {@link Session#saveChanges()} writes back to the store. The servlet
 * filter calls it before the response commits and when the request ends.
 *
 * <p>The store holds attributes as bytes on every store but memory, so a value changed in place
 * is lost there unless it is written back; on the in-memory store the stored value is the very
 * object, so its changes show whatever the mode. The write-back makes every store behave alike.
 *
 * <p>Whatever the mode, a value is written back only if its Java-serialized form differs from
 * the form it had when the request first saw it, and only that attribute is written: concurrent
 * requests that change different attributes never lose each other's writes (for the same
 * attribute, the last write wins, as with {@code setAttribute}). Values of JDK types that cannot
 * change ({@code String}, boxed primitives, {@code java.time} values, enums, ...) are never
 * compared, and values that Java serialization cannot write are not compared either: such a value
 * must be saved with {@code setAttribute}.
 */
public enum SaveMode {

  /**
   * Only {@code putAttribute}/{@code setAttribute} and removals reach the store. Cheapest; an
   * application that changes values in place loses those changes on the JDBC and Redis stores.
   */
  ON_SET_ATTRIBUTE,

  /**
   * The default: also every attribute that the request read ({@code getAttribute}, {@code get},
   * {@code attributes()}) or wrote, if it changed since. Costs one serialization of each such
   * value when it is first read and one when the request ends (values of immutable JDK types
   * excepted), and a store write only for values that changed.
   */
  ON_GET_ATTRIBUTE,

  /**
   * Every attribute of the session, read in the request or not, compared at its end: for
   * applications that keep references to session values beyond a request. Costs two
   * serializations of every attribute on every request that uses its session.
   */
  ALWAYS
}
