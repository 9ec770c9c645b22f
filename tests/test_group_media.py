"""Party members share photos and places in the community group all day; only the ones
that are check-ins or work photos are the bot's business."""

from __future__ import annotations

from tests.chat import Chat


def test_a_members_everyday_photo_or_location_in_the_group_gets_no_answer(
        chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    chat.say("admin", "/bind 幸福里社区", group="g1")

    photo = chat.say("m1", photo="media/telegram/family.jpg", group="g1")
    place = chat.say("m1", location=(31.23, 121.47), group="g1")
    privately = chat.say("m1", location=(31.23, 121.47))

    assert (photo.in_group("g1"), place.in_group("g1"), bool(privately)) == ([], [], True)
