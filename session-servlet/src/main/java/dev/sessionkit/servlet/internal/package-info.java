// SPDX-License-Identifier: Apache-2.0

/**
 * Implementation of the servlet filter: cookie parsing and writing, the request and response
 * wrappers, init-param parsing. Not an API: it may change in any release.
 */
package dev.sessionkit.servlet.internal;
