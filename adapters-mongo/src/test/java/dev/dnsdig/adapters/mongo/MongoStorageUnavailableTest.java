package dev.dnsdig.adapters.mongo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@link MongoStorage#isUnavailable}: what the real driver throws when the database is not there or stops
 * answering counts as unavailable (a 503 to retry); what a working database refuses does not.
 */
class MongoStorageUnavailableTest {

    @Test
    void noServerAtAllIsUnavailable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (MongoClient client = MongoConnection.connect("mongodb://127.0.0.1:" + port)) {
            MongoException e = org.junit.jupiter.api.Assertions.assertThrows(MongoException.class,
                    () -> client.getDatabase("d").getCollection("c").find().first());
            assertTrue(MongoStorage.isUnavailable(e), e.toString());
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersIsUnavailable() throws Exception {
        // a socket that takes connections and reads but never replies: the driver's socket times out
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        Socket socket = silent.accept();
                        Thread.ofVirtual().start(() -> drain(socket));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            String uri = "mongodb://127.0.0.1:" + silent.getLocalPort() + "/?connectTimeoutMS=300&socketTimeoutMS=300"
                    + "&serverSelectionTimeoutMS=600";
            try (MongoClient client = MongoConnection.connect(uri)) {
                MongoException e = org.junit.jupiter.api.Assertions.assertThrows(MongoException.class,
                        () -> client.getDatabase("d").getCollection("c").find().first());
                assertTrue(MongoStorage.isUnavailable(e), e.toString());
            }
        }
    }

    @Test
    void aRefusalOfAWorkingServerIsNot() {
        MongoCollection<Document> collection = TestMongo.freshDatabase().getCollection("c");
        collection.insertOne(new Document("_id", 1));
        MongoException duplicate = org.junit.jupiter.api.Assertions.assertThrows(MongoException.class,
                () -> collection.insertOne(new Document("_id", 1)));

        assertFalse(MongoStorage.isUnavailable(duplicate), duplicate.toString());
        assertFalse(MongoStorage.isUnavailable(new IllegalStateException("a bug")));
    }

    private static void drain(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException gone) {
            // the client gave up
        }
    }
}
