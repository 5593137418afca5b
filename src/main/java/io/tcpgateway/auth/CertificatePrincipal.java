package io.tcpgateway.auth;

import java.security.cert.X509Certificate;
import org.springframework.security.web.authentication.preauth.x509.SubjectX500PrincipalExtractor;

/** The principal of a client certificate: its subject's CN, read by Spring Security's extractor. */
public final class CertificatePrincipal {

    private static final SubjectX500PrincipalExtractor EXTRACTOR = new SubjectX500PrincipalExtractor();

    private CertificatePrincipal() {
    }

    /** The subject's CN; the whole subject when it has no CN. */
    public static String of(X509Certificate certificate) {
        try {
            Object cn = EXTRACTOR.extractPrincipal(certificate);
            if (cn != null && !cn.toString().isBlank()) {
                return cn.toString();
            }
        }
        catch (RuntimeException noCn) {
            // the extractor refuses a subject without a CN: the whole subject names the client then
        }
        return certificate.getSubjectX500Principal().getName();
    }
}
