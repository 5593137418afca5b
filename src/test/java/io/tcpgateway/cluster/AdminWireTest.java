package io.tcpgateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpgateway.admin.AdminCall;
import io.tcpgateway.admin.AdminCall.Broadcast;
import io.tcpgateway.admin.AdminCall.Get;
import io.tcpgateway.admin.AdminCall.Kick;
import io.tcpgateway.admin.AdminCall.Send;
import io.tcpgateway.admin.AdminResult;
import io.tcpgateway.admin.AdminResult.Delivered;
import io.tcpgateway.admin.AdminResult.Done;
import io.tcpgateway.admin.AdminResult.Found;
import io.tcpgateway.admin.AdminResult.Page;
import io.tcpgateway.admin.ConnectionDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.json.JsonMapper;

/** Calls and results cross between pods as JSON: every kind must come back as it went. */
class AdminWireTest {

    private static final JsonMapper json = AdminWire.mapper(JsonMapper.builder().build());

    private static final ConnectionDescriptor closed = new ConnectionDescriptor("c7.node-a", "chat", "127.0.0.1",
            40_000, "10.0.0.2", "device-a", "2026-11-26T10:00:00Z", "2026-11-26T10:00:01Z", "2026-11-26T10:00:02Z", 1, 2, 3, 4, 0,
            "2026-11-26T10:00:03Z", "kicked");

    static final List<AdminCall> calls = List.of(new Get("c1"), new Kick("c2.node-b"), new Send("c3", "hé ✓\n"),
            new Broadcast("all", null), new Broadcast("chat only", "chat"), new AdminCall.PrincipalConnections("fleet/dev-1"),
            new AdminCall.SendToPrincipal("dev-1", "hello", null), new AdminCall.SendToPrincipal("dev-1", "hi", "chat"),
            new AdminCall.KickPrincipal("dev-1"), new AdminCall.Replace("c9.node-a"),
            new AdminCall.FlushPrincipal("dev-1"));

    static final List<AdminResult> results = List.of(new Found(closed), new Page(7, List.of(closed)), new Done(),
            new Delivered(3, null), new Delivered(5, 2), new AdminResult.NotFound("no connection 'x'"),
            new AdminResult.BadRequest("bad"), new AdminResult.Unavailable("down"),
            new AdminResult.TimedOut("slow"), new AdminResult.Counted(2));

    @ParameterizedTest
    @FieldSource("calls")
    void everyCallTravels(AdminCall call) {
        assertThat(json.readValue(json.writeValueAsString(call), AdminCall.class)).isEqualTo(call);
    }

    @ParameterizedTest
    @FieldSource("results")
    void everyResultTravels(AdminResult result) {
        assertThat(json.readValue(json.writeValueAsString(result), AdminResult.class)).isEqualTo(result);
    }

    @Test
    void theWireNamesTheKindInWordsAndTheAdminApisJsonDoesNot() {
        assertThat(json.writeValueAsString(new Kick("c2"))).isEqualTo("{\"call\":\"kick\",\"id\":\"c2\"}");
        assertThat(json.writeValueAsString(new Delivered(3, null))).isEqualTo("{\"result\":\"delivered\",\"delivered\":3}");
        assertThat(JsonMapper.builder().build().writeValueAsString(new Delivered(3, null)))
                .isEqualTo("{\"delivered\":3}");
    }
}
