// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /sessions} lists the user's live sessions; {@code POST /sessions/revoke} signs one
 * of them out (only the user's own: anything else is 404).
 */
public final class SessionsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<Session> current = DemoSessions.signedIn(request);
    if (current.isEmpty() || !"/sessions".equals(request.getRequestURI())) {
      if (current.isEmpty()) {
        DemoSessions.notSignedIn(request, response);
      } else {
        Page.notFound(request, response);
      }
      return;
    }
    List<Session> sessions = DemoSessions.list(request);
    String currentId = current.get().id();
    if (Page.wantsJson(request)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Session s : sessions) {
        rows.add(Page.ordered("sessionId", s.id(), "createdAt", s.createdAt(),
            "lastAccessedAt", s.lastAccessedAt(), "clientAddress", s.clientAddress().orElse(null),
            "userAgent", s.userAgent().orElse(null), "rememberMe", s.isRemembered(),
            "current", s.id().equals(currentId)));
      }
      Page.json(request, response, 200, rows);
      return;
    }
    StringBuilder table = new StringBuilder("<table id=\"sessions\"><thead><tr><th>Session</th>"
        + "<th>Created</th><th>Last access</th><th>Client</th><th>Remember-me</th><th></th></tr>"
        + "</thead><tbody>");
    for (Session s : sessions) {
      boolean isCurrent = s.id().equals(currentId);
      table.append("<tr data-session-id=\"").append(Page.escape(s.id())).append("\"><td><code>")
          .append(Page.escape(s.id())).append("</code>")
          .append(isCurrent ? " <span class=\"marker\" id=\"this-device\">this device</span>" : "")
          .append("</td><td>").append(Page.time(s.createdAt())).append("</td><td>")
          .append(Page.time(s.lastAccessedAt())).append("</td><td>")
          .append(Page.escape(s.clientAddress().orElse("?"))).append("<br><small>")
          .append(Page.escape(s.userAgent().orElse(""))).append("</small></td><td>")
          .append(s.isRemembered() ? "used" : s.hasRememberMe() ? "issued" : "no")
          .append("</td><td><form method=\"post\" action=\"/sessions/revoke\">")
          .append("<input type=\"hidden\" name=\"sessionId\" value=\"").append(Page.escape(s.id()))
          .append("\"><button class=\"quiet\" type=\"submit\">sign out</button></form></td></tr>");
    }
    table.append("</tbody></table>");
    Page.html(request, response, 200, "Your sessions",
        "<p>" + sessions.size() + " active session" + (sessions.size() == 1 ? "" : "s")
            + ".</p>" + table);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"/sessions/revoke".equals(request.getRequestURI())) {
      Page.notFound(request, response);
      return;
    }
    if (DemoSessions.signedIn(request).isEmpty()) {
      DemoSessions.notSignedIn(request, response);
      return;
    }
    String sessionId = request.getParameter("sessionId");
    if (sessionId == null || !DemoSessions.revoke(request, sessionId)) {
      if (Page.wantsJson(request)) {
        Page.json(request, response, 404, Page.ordered("error", "no such session"));
      } else {
        Page.html(request, response, 404, "Not found",
            "<p>No such session of yours. <a href=\"/sessions\">Back to your sessions</a></p>");
      }
      return;
    }
    if (Page.wantsJson(request)) {
      Page.json(request, response, 200, Page.ordered("revoked", true));
    } else {
      Page.redirect(request, response, "/sessions");
    }
  }
}
