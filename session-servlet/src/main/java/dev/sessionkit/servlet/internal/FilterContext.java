// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import dev.sessionkit.SessionManager;

/**
 * What one initialised filter shares with the requests it handles.
 *
 * @param owner the filter instance, so that a second filter on the same request can tell
 * @param name the filter's name, for log lines
 * @param manager the session manager
 * @param cookies the cookie attributes
 * @param cacheControlNoStore whether authenticated responses get {@code Cache-Control: no-store}
 * @param failures the once-per-burst log of store failures
 * @param listeners the application's servlet session listeners that the filter calls
 * @param security guessing detection and the logout's {@code Clear-Site-Data}
 */
public record FilterContext(Object owner, String name, SessionManager manager,
    CookieSettings cookies, boolean cacheControlNoStore, StoreFailureLog failures,
    ServletSessionListeners listeners, FilterSecurity security) {}
