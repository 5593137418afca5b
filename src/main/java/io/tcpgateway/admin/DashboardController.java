package io.tcpgateway.admin;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code GET /dashboard} (CONTRACT section 6): the operators' page, behind the admin credentials like
 * the rest of the management API. One HTML page with its script and style sheet, all served from the
 * jar ({@code static/dashboard/}), which reads only the actuator API; nothing is fetched from anywhere else.
 */
@Controller
class DashboardController {

    private static final Resource PAGE = new ClassPathResource("static/dashboard/index.html");

    @GetMapping("/dashboard")
    ResponseEntity<Resource> page() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noStore()).body(PAGE);
    }
}
