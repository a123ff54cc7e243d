// SPDX-License-Identifier: Apache-2.0

/**
 * Sessionkit for Jakarta Servlet 6 applications: {@link dev.sessionkit.servlet.SessionFilter}
 * (registered in {@code web.xml} or programmatically) and the {@link
 * dev.sessionkit.servlet.Sessions} helpers for login, logout and session listing.
 */
package dev.sessionkit.servlet;
