#pragma once
// A minimal HTTP/1.1 server on 127.0.0.1 (ephemeral port) for the downloader tests, so they never
// touch the network. GET /files/<name> serves <root>/<name> (200 with Content-Length, 404 when
// missing); GET /moved/<name> answers 302 to /files/<name>. One request per connection.
#include <arpa/inet.h>
#include <atomic>
#include <fstream>
#include <iterator>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace bp::test {

class LocalHttpServer {
  public:
    explicit LocalHttpServer(std::string root) : root_(std::move(root)) {
        listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0; // the kernel picks a free port
        socklen_t length = sizeof address;
        if (listen_ < 0 || ::bind(listen_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::listen(listen_, 16) != 0 ||
            ::getsockname(listen_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            return; // port() stays 0: the test fails on it
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~LocalHttpServer() {
        stop_ = true;
        if (thread_.joinable())
            thread_.join();
        if (listen_ >= 0)
            ::close(listen_);
    }
    LocalHttpServer(const LocalHttpServer&) = delete;
    LocalHttpServer& operator=(const LocalHttpServer&) = delete;

    int port() const { return port_; }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    int requests() const { return requests_; }

  private:
    void serve() {
        while (!stop_) {
            pollfd fd{listen_, POLLIN, 0};
            if (::poll(&fd, 1, 50) <= 0) // wake up regularly to notice stop_
                continue;
            const int client = ::accept(listen_, nullptr, nullptr);
            if (client < 0)
                continue;
            handle(client);
            ::close(client);
        }
    }

    void handle(int client) {
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
            const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
            if (n <= 0)
                return;
            request.append(buffer, std::size_t(n));
        }
        ++requests_;
        std::istringstream line(request.substr(0, request.find("\r\n")));
        std::string method, path;
        line >> method >> path;
        if (path.rfind("/moved/", 0) == 0)
            return send(client, "302 Found", "Location: /files/" + path.substr(7) + "\r\n", "");
        std::string body;
        const bool found = path.rfind("/files/", 0) == 0 && path.find("..") == std::string::npos &&
                           read(path.substr(7), body);
        if (!found)
            return send(client, "404 Not Found", "", "no such file\n");
        send(client, "200 OK", "Content-Type: application/octet-stream\r\n", body);
    }

    bool read(const std::string& name, std::string& body) const {
        std::ifstream file(root_ + "/" + name, std::ios::binary);
        if (!file)
            return false;
        body.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
        return true;
    }

    static void send(int client, const std::string& status, const std::string& headers,
                     const std::string& body) {
        const std::string response = "HTTP/1.1 " + status + "\r\n" + headers +
                                     "Content-Length: " + std::to_string(body.size()) +
                                     "\r\nConnection: close\r\n\r\n" + body;
        for (std::size_t sent = 0; sent < response.size();) {
            const ssize_t n = ::send(client, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return;
            sent += std::size_t(n);
        }
    }

    std::string root_;
    int listen_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0};
    std::thread thread_;
};

} // namespace bp::test
