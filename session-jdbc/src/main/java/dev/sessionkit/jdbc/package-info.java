// SPDX-License-Identifier: Apache-2.0

/**
 * The JDBC session store: {@link dev.sessionkit.jdbc.JdbcSessionStore}, a {@link
 * dev.sessionkit.spi.SessionStore} and {@link dev.sessionkit.spi.RememberMeStore} in PostgreSQL,
 * MariaDB/MySQL or H2 over any {@link javax.sql.DataSource}, and {@link
 * dev.sessionkit.jdbc.JdbcSessionStoreFactory}, which builds it from string settings (the servlet
 * filter's {@code store} init-param).
 */
package dev.sessionkit.jdbc;
