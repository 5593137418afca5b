package io.tcpgateway.ban;

/** Why an address was banned, as the API's {@code reason} and the ban log lines name it. */
public enum BanReason {
    /** It opened more than {@code gateway.flapping.max-count} connections within the window. */
    FLAPPING("flapping"),
    /** It failed authentication more than {@code gateway.flapping.max-auth-failures} times within the window. */
    AUTH_FAILURES("auth-failures"),
    /** An operator banned it through the admin API. */
    ADMIN("admin");

    private final String tag;

    BanReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** The reason whose tag this is (bans arriving from other pods). */
    public static BanReason ofTag(String tag) {
        for (BanReason reason : values()) {
            if (reason.tag.equals(tag)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("no ban reason '" + tag + "'");
    }

    @Override
    public String toString() {
        return tag;
    }
}
