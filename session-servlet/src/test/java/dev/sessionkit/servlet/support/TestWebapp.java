// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.support;

import dev.sessionkit.servlet.SessionFilter;
import dev.sessionkit.servlet.testapp.ActionServlet;
import dev.sessionkit.servlet.testapp.CartServlet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a web application directory as an application would ship it: a {@code WEB-INF/web.xml}
 * with a {@link SessionFilter} on every path and dispatch (its init-params given) and the {@link
 * ActionServlet} at {@code /do/*}; more files can be added to the directory.
 */
public final class TestWebapp {

  /** Serves {@code *.jsp} with Jasper, Tomcat's JSP engine (on Tomcat only). */
  public static final String JASPER = """
        <servlet>
          <servlet-name>jsp</servlet-name>
          <servlet-class>org.apache.jasper.servlet.JspServlet</servlet-class>
        </servlet>
        <servlet-mapping>
          <servlet-name>jsp</servlet-name>
          <url-pattern>*.jsp</url-pattern>
        </servlet-mapping>
      """;

  /** Serves {@code /cart} with {@link CartServlet}, the servlet twin of {@code cart.jsp}. */
  public static final String CART_SERVLET = """
        <servlet>
          <servlet-name>cart</servlet-name>
          <servlet-class>%s</servlet-class>
          <async-supported>true</async-supported>
        </servlet>
        <servlet-mapping>
          <servlet-name>cart</servlet-name>
          <url-pattern>/cart</url-pattern>
        </servlet-mapping>
      """.formatted(CartServlet.class.getName());

  private TestWebapp() {}

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Writes the application into {@code dir} and returns {@code dir}. */
  public static Path write(Path dir, Map<String, String> filterParams) throws IOException {
    return write(dir, filterParams, "");
  }

  /**
   * Writes the application into {@code dir}, with {@code moreXml} (elements of {@code web-app})
   * after the filter and servlet, and returns {@code dir}.
   */
  public static Path write(Path dir, Map<String, String> filterParams, String moreXml)
      throws IOException {
    StringBuilder params = new StringBuilder();
    filterParams.forEach((k, v) -> params.append("    <init-param><param-name>").append(k)
        .append("</param-name><param-value>").append(xml(v))
        .append("</param-value></init-param>\n"));
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
          <filter>
            <filter-name>sessions</filter-name>
            <filter-class>%s</filter-class>
            <async-supported>true</async-supported>
        %s  </filter>
          <filter-mapping>
            <filter-name>sessions</filter-name>
            <url-pattern>/*</url-pattern>
            <dispatcher>REQUEST</dispatcher>
            <dispatcher>FORWARD</dispatcher>
            <dispatcher>INCLUDE</dispatcher>
            <dispatcher>ERROR</dispatcher>
            <dispatcher>ASYNC</dispatcher>
          </filter-mapping>
          <servlet>
            <servlet-name>actions</servlet-name>
            <servlet-class>%s</servlet-class>
          </servlet>
          <servlet-mapping>
            <servlet-name>actions</servlet-name>
            <url-pattern>/do/*</url-pattern>
          </servlet-mapping>
        %s
        </web-app>
        """.formatted(SessionFilter.class.getName(), params, ActionServlet.class.getName(),
        moreXml);
    Path webInf = dir.resolve("WEB-INF");
    Files.createDirectories(webInf);
    Files.writeString(webInf.resolve("web.xml"), xml, StandardCharsets.UTF_8);
    return dir;
  }
}
